"""Errors become JSON ``{"error": code, "detail": message}`` with the right status.

A domain error (``dossier.errors``) keeps its ``http_status``; a query error adds ``position``
(the character offset in ``q`` where parsing failed, or null). Anything unexpected is logged
and answered with a bare 500: no traceback and no message text ever reaches the client.
"""

from __future__ import annotations

import logging
import re

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dossier.errors import DossierError, QueryError

log = logging.getLogger("dossier.api")


def error_code(exc: BaseException) -> str:
    """``QueryError`` → ``query_error``: the class name in snake case."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, code: str, detail, **extra) -> HttpResponse:
        body = {"error": code, "detail": detail, **extra}
        return api.create_response(request, body, status=status)

    @api.exception_handler(DossierError)
    def domain_error(request: HttpRequest, exc: DossierError) -> HttpResponse:
        extra = {"position": exc.position} if isinstance(exc, QueryError) else {}
        return respond(request, exc.http_status, error_code(exc), str(exc), **extra)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            "unauthenticated",
            "sign in, or send Authorization: Bearer <your API token>",
        )
        response["WWW-Authenticate"] = 'Bearer realm="dossier"'
        return response

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        detail = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors
        ]
        return respond(request, 422, "invalid_request", detail)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return respond(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, "not_found", "not found")

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, "internal_error", "internal error; see the server log")
