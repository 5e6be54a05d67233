"""How an API request says who it is: a personal token, or the browser's session.

``TokenAuth``: ``Authorization: Bearer dos_…``; browsers never attach it on their own, so it needs
no CSRF check. ``SessionAuth``: Django's session cookie, for pages and Swagger UI in the browser;
any unsafe method (POST, PATCH, DELETE) must carry the CSRF token (``X-CSRFToken`` header). An
anonymous caller gets 401 before any CSRF check, a signed-in one without the token 403.
``SessionOnlyAuth`` guards token management: a token cannot mint or revoke tokens.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dossier.api.services import token_authenticate
from dossier.errors import PermissionDenied

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(PermissionDenied):
    """A session request that changes something arrived without a valid CSRF token."""


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token.strip())
        if user is not None:
            request.dossier_auth = "token"
        return user


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)  # ``csrf`` also tells Swagger UI to send X-CSRFToken

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed("CSRF check failed: send the X-CSRFToken header")
        request.dossier_auth = "session"
        return user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover
        return None  # unused: ``__call__`` reads the user the session middleware attached


class SessionOnlyAuth(SessionAuth):
    def __call__(self, request: HttpRequest):
        if request.headers.get("Authorization"):
            raise PermissionDenied("API tokens cannot manage tokens; sign in with a browser")
        return super().__call__(request)


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
