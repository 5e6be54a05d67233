"""Collections, messages, where each message was found, attachments, threads, and ingest runs.

Identity: a message is keyed by ``identity``, the SHA-256 of its normalised Message-ID (or of its
normalised headers and body when it has none). The same message found again in another mailbox
becomes one more ``Location``, never a second ``Message``. Every file stored is a ``Blob`` named by
the SHA-256 of its bytes.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from dossier.corpus.ingest.rowvalues import subject_terms


class Collection(models.Model):
    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Blob(models.Model):
    """A stored file, content-addressed. Attachment text is extracted once per blob."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    text = models.TextField(blank=True, default="")
    text_error = models.TextField(blank=True, default="")
    # Raw messages stored during ingest live in a pack file (``dossier/packs.py``) at ``offset``;
    # other blobs are loose files (``pack`` "").
    pack = models.CharField(max_length=64, blank=True, default="")
    offset = models.BigIntegerField(null=True)


class Thread(models.Model):
    """Messages linked by Message-ID / In-Reply-To / References, or by a reply's subject."""

    subject = models.TextField(blank=True, default="")
    # sha256 of the normalised subject of its first message: the subject-fallback lookup key.
    subject_key = models.CharField(max_length=64, blank=True, default="", db_index=True)
    message_count = models.IntegerField(default=0)
    first_date = models.DateTimeField(null=True)
    last_date = models.DateTimeField(null=True)


class Message(models.Model):
    identity = models.CharField(max_length=64, unique=True)
    message_id = models.TextField(blank=True, default="")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="+")
    # No single-column indexes on thread (the (thread, date) index serves it) or raw (never
    # searched by): each index is one more B-tree write per message at ingest.
    thread = models.ForeignKey(
        Thread, null=True, on_delete=models.SET_NULL, related_name="messages", db_index=False
    )
    raw = models.ForeignKey(
        Blob, on_delete=models.PROTECT, related_name="+", db_column="raw_sha256", db_index=False
    )
    subject = models.TextField(blank=True, default="")
    # from_addr and sender_domain are indexed with the date (Meta): ``from:`` queries.
    from_addr = models.CharField(max_length=320, blank=True, default="")
    from_name = models.TextField(blank=True, default="")
    sender_domain = models.CharField(max_length=255, blank=True, default="")
    to_addrs = models.JSONField(default=list)
    cc_addrs = models.JSONField(default=list)
    date = models.DateTimeField(null=True, db_index=True)
    month = models.CharField(max_length=7, blank=True, default="", db_index=True)
    in_reply_to = models.TextField(blank=True, default="")
    references = models.JSONField(default=list)
    has_attachments = models.BooleanField(default=False)
    size = models.IntegerField(default=0)
    # Denormalised text the search index is built from (see corpus/search).
    body_text = models.TextField(blank=True, default="")
    from_text = models.TextField(blank=True, default="")
    to_text = models.TextField(blank=True, default="")
    cc_text = models.TextField(blank=True, default="")
    attachment_text = models.TextField(blank=True, default="")
    filenames = models.TextField(blank=True, default="")
    # The subject's words as field terms (``search/words.field_terms``), for SQLite's index of
    # ``subject:``; PostgreSQL's index does not read it.
    subject_terms = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["thread", "date"]),
            models.Index(fields=["from_addr", "date"], name="corpus_message_sender_date"),
            models.Index(fields=["sender_domain", "date"], name="corpus_message_domain_date"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """``subject_terms`` follows the subject (the ingest's workers compute the same value
        for the rows they insert: ``rowvalues.values``)."""
        self.subject_terms = subject_terms(self.subject)
        super().save(*args, **kwargs)


class Location(models.Model):
    """One place a message was found: the input file, and the position inside it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="locations")
    # The (collection, message) index serves collection lookups; raw is never searched by.
    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, related_name="locations", db_index=False
    )
    source_path = models.TextField()
    position = models.TextField(blank=True, default="")
    container = models.CharField(max_length=20)
    raw = models.ForeignKey(
        Blob, on_delete=models.PROTECT, related_name="+", db_column="raw_sha256", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_path", "position"], name="location_unique")
        ]
        indexes = [models.Index(fields=["collection", "message"])]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    part = models.IntegerField()
    filename = models.TextField(blank=True, default="")
    content_type = models.CharField(max_length=255, blank=True, default="")
    size = models.BigIntegerField(default=0)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+", db_column="sha256")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "part"], name="attachment_unique")
        ]


class ThreadKey(models.Model):
    """Maps a Message-ID key (seen as a message or as a reference) to its thread."""

    key = models.CharField(max_length=64, primary_key=True)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")


class IngestRun(models.Model):
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    inputs = models.JSONField(default=list)
    collection = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="running")
    new = models.IntegerField(default=0)
    duplicate = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    attachments = models.IntegerField(default=0)


class IngestFailure(models.Model):
    """A member that could not be read: where it is, and why. Upserted, so reruns add nothing."""

    input_path = models.TextField()
    position = models.TextField(blank=True, default="")
    reason = models.TextField()
    run = models.ForeignKey(IngestRun, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["input_path", "position"], name="failure_unique")
        ]


class CompletedInput(models.Model):
    """A container read to the end; unchanged (size, mtime) it is skipped on the next run."""

    path = models.TextField(unique=True)
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    finished_at = models.DateTimeField(auto_now=True)
