"""Who may do what: a role per user (``Profile``) and the collections granted to them.

A collection granted is a compartment: a user sees only messages found in collections granted to
them. Nothing is visible by default, not even to admins (who may grant themselves, audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    SUPERVISOR = "supervisor", "Supervisor"
    EDITOR = "editor", "Editor"
    ANALYST = "analyst", "Analyst"
    HANDLER = "handler", "Handler"
    READER = "reader", "Reader"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.READER)

    def __str__(self) -> str:
        return f"{self.user.username} ({self.role})"


class CollectionGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collection_grants"
    )
    collection = models.ForeignKey(
        "corpus.Collection", on_delete=models.CASCADE, related_name="grants"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "collection"], name="grant_unique")]
