"""``python -m dossier`` runs the command line."""

from dossier.cli.fast import run

run()
