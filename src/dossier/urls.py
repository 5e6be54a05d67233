"""The root URL configuration: the pages (``dossier.web``) and the API under ``/api/``."""

from __future__ import annotations

from django.urls import include, path

from dossier.api.urls import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("dossier.web.urls")),
]

handler400 = "dossier.web.errors.bad_request"
handler403 = "dossier.web.errors.permission_denied"
handler404 = "dossier.web.errors.page_not_found"
handler500 = "dossier.web.errors.server_error"
