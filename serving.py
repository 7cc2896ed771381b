"""Gunicorn access logging without secrets: patient-link tokens never reach a log."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# /p/<token>... carries a patient's download token; search queries may carry words a
# physician typed. Neither belongs in a log.
_TOKEN = re.compile(r"/p/[^/?\s]+")


def redact(text: str) -> str:
    """A request path or line with patient-link tokens and query strings removed."""
    return _TOKEN.sub("/p/[token]", text.split("?", 1)[0])


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
