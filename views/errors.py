"""Error pages for people and JSON errors for the API; never a traceback."""

from __future__ import annotations

import logging
import math
import time
from typing import Any

from flask import (
    Flask,
    current_app,
    g,
    has_app_context,
    has_request_context,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from extensions import db, limiter
from rxassist.pdf import PdfEngineError

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have access to this page.",
    404: "There is nothing here. The link may be mistyped or out of date.",
    405: "That action is not allowed here.",
    413: "The request is too large.",
    429: "Too many attempts. Wait a few minutes and try again.",
    500: "Something went wrong on our side. Your saved steps are safe; try again.",
    503: "The service is briefly unavailable. Your saved steps are safe; try again.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def _respond(code: int, message: str, fields: dict[str, str] | None = None) -> Any:
    if _wants_json():
        body: dict[str, Any] = {"error": message}
        if fields:
            body["fields"] = fields
        return body, code
    if code >= 500:
        # Rendered without context processors: loading the signed-in user needs the
        # database, which may be what failed.
        page = current_app.jinja_env.get_template("errors/500.html")
        return page.render(code=code, message=message, url_for=url_for), code
    template = "errors/404.html" if code == 404 else "errors/error.html"
    return render_template(template, code=code, message=message), code


def retry_after() -> int | None:
    """Seconds until the tightest rate limit resets, fixed once per request."""
    if "retry_after" not in g:
        window = limiter.current_limit
        g.retry_after = (
            None if window is None else max(0, math.ceil(window.reset_at - time.time()))
        )
    return g.retry_after  # type: ignore[no-any-return]


def _where() -> str:
    """The request's method and route pattern (never its URL: tokens sit in paths)."""
    if not has_request_context():
        return "(no request)"
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    return f"{request.method} {rule}"


def log_error(error: BaseException | None) -> None:
    """Log an error's type and the route only.

    A message or traceback can quote patient data: a database error's carries its
    SQL statement and parameters, a ValueError the value it refused.
    """
    current_app.logger.error(
        "unhandled %s at %s",
        type(error).__name__,
        _where(),
        # A developer's own machine (FLASK_DEBUG) may see the traceback; no server.
        exc_info=error if current_app.debug else None,
    )


class _TypeAndRoute(logging.Filter):
    """Rewrites a record with a traceback to the error's type and route (not debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not (has_app_context() and current_app.debug):
            error = record.exc_info[1]
            record.msg = "unhandled %s at %s"
            record.args = (type(error).__name__, _where())
            record.exc_info = None
            record.exc_text = None
        return True


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    # What Flask logs itself (an error in an after-request hook, or while handling
    # an error) carries the traceback and the URL: it is cut to the type and route.
    app.logger.addFilter(_TypeAndRoute())

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        return _respond(
            400,
            "This form expired or was not sent from Rx Assist. "
            "Go back, reload the page and submit again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        body, status = _respond(code, MESSAGES.get(code, error.description or "Error."))
        if code == 429 and isinstance(body, dict) and retry_after() is not None:
            # The same number as the Retry-After header views/api.py adds.
            body["retry_after"] = retry_after()
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            # RFC 9110: a 405 names the methods the resource does allow.
            return body, status, {"Allow": ", ".join(error.valid_methods)}
        return body, status

    @app.errorhandler(PdfEngineError)
    def pdf_engine_down(error: PdfEngineError) -> Any:
        app.logger.error("PDF engine failed: %s", type(error).__name__)
        return _respond(
            503,
            "The PDF could not be made just now. Your prescription is not finalized "
            "yet; try again in a moment.",
        )

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError) -> Any:
        db.session.rollback()
        app.logger.error(
            "database unavailable: %s at %s", type(error.orig).__name__, _where()
        )
        return _respond(503, MESSAGES[503])

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return http_error(error)
        log_error(error)
        return _respond(500, MESSAGES[500])

    app.register_error_handler(
        InternalServerError, lambda e: _respond(500, MESSAGES[500])
    )
