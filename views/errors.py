"""Error pages for people and JSON errors for the API; never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from extensions import db
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


def register(app: Flask) -> None:
    """Install the handlers on the app."""

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
        app.logger.error("database unavailable: %s", type(error.orig).__name__)
        return _respond(503, MESSAGES[503])

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return http_error(error)
        # Log the type and place only: exception messages can quote patient data.
        # Debug and test runs want the traceback; production logs stay free of it.
        app.logger.error(
            "unhandled %s at %s %s",
            type(error).__name__,
            request.method,
            request.url_rule.rule if request.url_rule else "(no route)",
            exc_info=error if app.debug or app.testing else None,
        )
        return _respond(500, MESSAGES[500])

    app.register_error_handler(
        InternalServerError, lambda e: _respond(500, MESSAGES[500])
    )
