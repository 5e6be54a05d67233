"""The domain error hierarchy; the edges (CLI, web, API) map these to exit codes, statuses."""


class DossierError(Exception):
    """Base of every error Dossier raises on purpose. ``exit_code`` is what the CLI returns."""

    exit_code = 1
    http_status = 400


class BadInput(DossierError):
    """The user gave something we cannot use (a missing path, an unknown id)."""


class NotFound(DossierError):
    http_status = 404


class PermissionDenied(DossierError):
    """The user may not do this. Where existence itself is secret, raise ``NotFound`` instead."""

    http_status = 403


class QueryError(BadInput):
    """A search query that cannot be parsed; the message says where and why."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class IngestError(DossierError):
    """A member of an input could not be read. Recorded as a failure; the run goes on."""


class WorkspaceError(DossierError):
    """The workspace cannot be opened (bad database URL, unwritable folder)."""
