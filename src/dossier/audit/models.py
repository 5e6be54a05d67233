"""The audit log: an append-only chain of events, each sealing the hash of the one before.

Rows are never changed: ``save()`` on a stored event and ``delete()`` raise, queryset
``update()``/``delete()`` raise, and database triggers (migration 0002) refuse UPDATE and DELETE
from any client. The one update allowed is Django nulling ``actor`` when a user is deleted; the
recorded ``actor_username`` stays, and the actor id is not part of the hash.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit log is append-only")

    def delete(self):
        raise AppendOnlyError("audit log is append-only")


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_username = models.CharField(max_length=200, blank=True, default="", db_index=True)
    target = models.CharField(max_length=500, blank=True, default="")
    details = models.JSONField(default=dict)
    ip = models.CharField(max_length=45, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit log is append-only")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.actor_username}"
