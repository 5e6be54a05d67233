"""``dossier serve``: the web application under gunicorn, static files by whitenoise.

Gunicorn runs in-process (a ``BaseApplication`` subclass), so there is no separate config file
and nothing to build first: whitenoise serves the static files from the installed packages.
"""

from __future__ import annotations

from typing import Annotated

import typer

from dossier.cli.common import WorkspaceOption, console, domain_errors, open_ws, term

HostOption = Annotated[
    str, typer.Option("--host", help="Address to listen on (0.0.0.0 for every interface).")
]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")]
WorkersOption = Annotated[
    int, typer.Option("--workers", min=1, max=64, help="Gunicorn worker processes.")
]


@domain_errors
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    workers: WorkersOption = 2,
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the web application (search, documents, comments, audit log, API) with gunicorn.

    Put it behind a TLS proxy for use beyond this machine, and set DOSSIER_HTTPS=1 and
    DOSSIER_ALLOWED_HOSTS=your.host there."""
    ws = open_ws(workspace)
    console().print(f"Serving {term(ws.describe())} at {term(url_of(host, port))} (Ctrl-C stops)")
    run_server(host=host, port=port, workers=workers)


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def run_server(*, host: str, port: int, workers: int) -> None:
    """Run gunicorn on ``dossier.wsgi:application`` until interrupted (Django is set up)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class DossierServer(BaseApplication):
        def __init__(self, options: dict):
            self.options = options
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self):
            from dossier.wsgi import application

            return application

    connections.close_all()  # never share the migration connection with forked workers
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    DossierServer(
        {
            "bind": bind,
            "workers": workers,
            "worker_class": "gthread",
            "threads": 4,
            "timeout": 120,
            "accesslog": "-",
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "dossier",
        }
    ).run()
