"""Django's ``flush``, with the audit delete trigger unlocked for its duration (SQLite only
needs it: there flush deletes rows one by one). Emptying the whole database is not an edit."""

from django.core.management.commands.flush import Command as FlushCommand

from dossier.audit import guard


class Command(FlushCommand):
    def handle(self, **options):
        with guard.flushing():
            return super().handle(**options)
