"""``/api/tokens``: your own personal API tokens. Browser session only: a token cannot mint,
list or revoke tokens, so a leaked token cannot entrench itself."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Router, Status
from ninja.responses import codes_4xx

from dossier.api import services
from dossier.api.auth import SessionOnlyAuth, client_ip
from dossier.api.schemas import MAX_ID, Error, TokenCreated, TokenIn, TokenOut

router = Router(tags=["tokens"], auth=SessionOnlyAuth())


@router.get("/tokens", response={200: list[TokenOut], codes_4xx: Error})
def token_list(request: HttpRequest):
    """Your tokens, newest first, revoked ones included. Secrets are never shown again."""
    return services.token_list(user=request.auth)


@router.post("/tokens", response={201: TokenCreated, codes_4xx: Error})
def token_create(request: HttpRequest, payload: TokenIn):
    """A new token. The `secret` in the answer is shown this once. Audited as `token.create`."""
    token, secret = services.token_create(
        user=request.auth, name=payload.name, ip=client_ip(request)
    )
    return Status(201, {**services.token_json(token), "secret": secret})


@router.delete("/tokens/{token_id}", response={204: None, codes_4xx: Error})
def token_revoke(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)):
    """Revoke one of your tokens; it stops working at once. Audited as `token.revoke`."""
    services.token_revoke(user=request.auth, token_id=token_id, ip=client_ip(request))
    return Status(204, None)
