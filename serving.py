"""How gunicorn serves Rx Assist: its settings, and access logging without secrets.

``gunicorn -c python:serving`` (``make run``) reads the lower-case settings below.
"""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# One process, so the default rate-limit storage (memory://) counts every request: each
# limit holds exactly. Threads serve concurrently; a thread waiting on a client that
# never finishes its request holds only itself, so THREADS bounds how many such
# connections the app outlasts (the reverse proxy in front absorbs the rest).
WORKERS = 1
THREADS = 128

workers = WORKERS
worker_class = "gthread"
threads = THREADS
# Idle keep-alive connections wait in the poller, not in a thread, and close after this.
keepalive = 5
timeout = 30
preload_app = True
control_socket_disable = True
accesslog = "-"
logger_class = "serving.RedactingLogger"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(M)sms'

# /p/<token>... carries a patient's download token, /invite/<token> and /setup/<token>
# an account's; search queries may carry words a physician typed. None belongs in a log.
_TOKEN = re.compile(r"/(p|invite|setup)/[^/?\s]+")


def redact(text: str) -> str:
    """A request path or line with link tokens and query strings removed."""
    return _TOKEN.sub(r"/\1/[token]", text.split("?", 1)[0])


class RedactingLogger(Logger):  # type: ignore[misc]
    """Gunicorn's logger, with paths, request lines and referrers redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            # r, U, f and the {name}e environ atoms can all carry the path or query.
            if isinstance(value, str) and (
                key in ("r", "U", "f") or key.endswith("}e")
            ):
                atoms[key] = "-" if "query_string" in key else redact(value)
        atoms["q"] = "-"
        return atoms
