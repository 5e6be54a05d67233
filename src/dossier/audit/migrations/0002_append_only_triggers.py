"""Triggers that make ``audit_auditevent`` append-only for every client (see audit/guard.py)."""

from django.db import migrations

from dossier.audit import guard


def create(apps, schema_editor):
    for sql in guard.statements(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in guard.statements(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
