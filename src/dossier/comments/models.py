"""Comments signed-in users leave on a message. Authors edit their own; supervisors hide."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Comment(models.Model):
    message = models.ForeignKey("corpus.Message", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["message", "created_at"])]

    def __str__(self) -> str:
        return f"comment {self.pk} on message {self.message_id}"
