"""``python -m dossier`` runs the command line."""

from dossier.cli.main import run

run()
