"""The WSGI application gunicorn serves (``dossier serve``): Django, configured for the workspace
in ``DOSSIER_HOME`` (or the database in ``DOSSIER_DATABASE_URL``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.django_settings")

application = get_wsgi_application()
