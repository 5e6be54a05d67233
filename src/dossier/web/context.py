"""Template context shared by every page: what the signed-in user may reach from the header."""

from __future__ import annotations

from dossier.accounts.policy import can, role_of


def nav(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "nav_role": role_of(user),
        "nav_can_audit": can(user, "audit.read"),
    }
