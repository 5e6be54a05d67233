"""Dossier: ingest, thread and search email troves."""

__version__ = "0.1.0"
