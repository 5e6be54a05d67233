"""Domain errors become status pages: one middleware for every view, plus the 403/404/500 handlers.

Pages never echo a traceback or a setting; a domain error's message is written for people and
names nothing secret (a document outside the reader's collections is simply "not found").
"""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from dossier.errors import DossierError

TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 500: "Server error"}


def error_page(request, status: int, message: str = ""):
    template = "web/_error.html" if getattr(request, "htmx", False) else "web/error.html"
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message}
    return render(request, template, context, status=status)


class DomainErrorMiddleware:
    """Turn a ``DossierError`` escaping a page view into its status page (400, 403, 404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DossierError):
            return error_page(request, exception.http_status, str(exception))
        return None


def bad_request(request, exception=None):
    return error_page(request, 400, "The request could not be understood.")


def permission_denied(request, exception=None):
    return error_page(request, 403, "You are not allowed to see this page.")


def page_not_found(request, exception=None):
    return error_page(request, 404, "There is nothing at this address.")


def server_error(request):
    """Rendered without the request's context: the database may be what failed."""
    context = {"status": 500, "title": TITLES[500], "message": "Something went wrong on our side."}
    return HttpResponseServerError(loader.render_to_string("web/error.html", context))
