"""The one registry of audit event names. ``audit_record`` refuses any name not listed here."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "auth.login": "A user signed in.",
    "auth.login_failed": "A sign-in failed (the username tried is recorded, never a password).",
    "auth.logout": "A user signed out.",
    "search.run": "A search was run (query text and hit count).",
    "document.view": "A message was opened.",
    "thread.view": "A thread was opened.",
    "raw.download": "The original bytes of a message were downloaded.",
    "attachment.view": "An attachment's metadata and extracted text were read.",
    "attachment.download": "An attachment was downloaded.",
    "export.run": "Messages matching a query were exported.",
    "user.add": "A user account was created.",
    "user.disable": "A user account was disabled.",
    "user.set_role": "A user's role was changed.",
    "user.set_password": "A user's password was set by an administrator.",
    "user.enable": "A disabled user account was enabled again.",
    "collection.grant": "A user was granted a collection.",
    "collection.revoke": "A user's grant of a collection was revoked.",
    "comment.add": "A comment was posted on a message.",
    "comment.edit": "A comment was edited by its author.",
    "comment.hide": "A comment was hidden by a supervisor.",
    "token.create": "A personal API token was created.",
    "token.revoke": "A personal API token was revoked.",
    "audit.view": "The audit log was read.",
}
