"""The Dossier API (django-ninja): ``api`` is mounted at ``/api/`` by the root URLconf.

Every operation authenticates with a personal token (``Authorization: Bearer dos_…``) or the
browser session (with CSRF on unsafe methods), then calls the one selector layer the web pages
use (``dossier.corpus.access``, comments, audit), so permissions and compartments are the same.
OpenAPI: ``/api/openapi.json``; Swagger UI: ``/api/docs``, whose scripts and CSS are django-ninja's
own static files (``ninja`` is an installed app; whitenoise serves them), never a CDN.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger

from dossier.api import audit, comments, documents, handlers, search, tokens
from dossier.api.auth import SessionAuth, TokenAuth

DESCRIPTION = """\
Search and read the collections granted to you, and comment on messages.

**Authentication.** Scripts send a personal token: `Authorization: Bearer dos_…` (make one with
`dossier token create USERNAME --name NAME`, or `POST /api/tokens` from a signed-in browser).
In the browser the session cookie works too; then POST, PATCH and DELETE need the
`X-CSRFToken` header. Without either you get 401.

**Errors** are JSON `{"error": code, "detail": message}`: 400 bad input (a bad query adds
`position`), 401 not signed in, 403 not allowed, 404 not found (also for documents outside your
collections: their existence is not revealed), 422 malformed parameters.

**Snippets** in search hits are HTML: escaped text with matches in `<mark>…</mark>`.
"""

api = NinjaAPI(
    title="Dossier API",
    version="1",
    description=DESCRIPTION,
    docs=Swagger(),
    docs_url="/docs",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
)
handlers.install(api)
api.add_router("", search.router)
api.add_router("", documents.router)
api.add_router("", comments.router)
api.add_router("", audit.router)
api.add_router("", tokens.router)
