"""Rx Assist: the application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

import config as settings
from extensions import codeset, csrf, db, limiter, login_manager, migrate
from forms.errors import error_links
from rxassist import lifecycle, localtime, presets, units
from services import clock


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Create and configure an instance of the Rx Assist application.

    ``config`` overrides the defaults and the environment (tests pass their own).
    """
    loaded = settings.load(config)
    app = Flask(__name__, instance_path=loaded["RX_INSTANCE_PATH"])
    app.config.from_mapping(loaded)
    if app.config["RX_PROXY_FIX"]:
        # Behind a TLS-terminating proxy: trust its X-Forwarded-* headers (https links).
        hops = app.config["RX_PROXY_FIX"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    register_template_filters(app)
    if app.config["RX_ICD_PRELOAD"]:
        # Servers load the code set before the first request (shared by forked workers).
        with app.app_context():
            codeset.index()
    return app


def register_template_filters(app: Flask) -> None:
    """Filters and values the templates share."""

    @app.context_processor
    def layout() -> dict[str, Any]:
        return {"embed": bool(g.get("embed"))}

    # Templates ask the lifecycle what a record allows, never compare status strings.
    app.jinja_env.globals.update(Status=lifecycle.Status, Action=lifecycle.Action)
    app.jinja_env.globals["error_links"] = error_links
    app.jinja_env.tests["allowing"] = lambda record, action: lifecycle.can(
        action, record.status
    )

    app.jinja_env.globals["preset_max"] = presets.MAX_NAME
    app.jinja_env.filters["counted"] = units.counted  # "1 visit", "2 visits"

    @app.template_filter("usdate")
    def usdate(value: Any, zone: str | None = None) -> str:
        # A stored moment (UTC) falls on a day of the practice's zone; a date is one.
        if isinstance(value, datetime):
            return localtime.shown_date(value, zone or clock.current_zone())
        return value.strftime(localtime.DATE) if value else ""

    @app.template_filter("localtime")
    def local_time(value: Any, zone: str | None = None, seconds: bool = False) -> str:
        """A stored UTC moment as the practice reads it: "11/30/2026 1:20 PM EST"."""
        return localtime.shown(value, zone or clock.current_zone(), seconds=seconds)


def register_extensions(app: Flask) -> None:
    """Bind the unbound extensions to this app."""
    import models
    from services import sessions

    db.init_app(app)
    codeset.init_app(app)
    # Batch mode lets later migrations alter SQLite tables (it rebuilds them).
    migrate.init_app(
        app, db, directory=str(settings.ROOT / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to write prescriptions."
    login_manager.session_protection = "strong"

    limits = sessions.Limits.of(app.config)

    @login_manager.user_loader
    def load_user(token: str) -> models.User | None:
        # The cookie holds only a session token: the table says whether it is live.
        return sessions.load(token, limits)


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per area."""
    from views import (
        api,
        auth,
        documents,
        embed,
        main,
        patient,
        practice,
        presets,
        verify,
        wizard,
    )

    modules = (
        main,
        auth,
        practice,
        wizard,
        presets,
        documents,
        patient,
        verify,
        embed,
        api,
    )
    for module in modules:
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    """Friendly pages for people, JSON for the API, never a traceback."""
    from views import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    """Add the flask CLI commands (rx, icd10)."""
    import cli

    cli.register(app)


def register_security_headers(app: Flask) -> None:
    """Headers every response carries."""

    ancestors = app.config["RX_FRAME_ANCESTORS"]
    frame_ancestors = " ".join(["'self'", *ancestors]) if ancestors else "'none'"

    @app.after_request
    def headers(response: Any) -> Any:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' "
            "data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            f"frame-ancestors {frame_ancestors}",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not ancestors:
            # Old browsers without CSP frame-ancestors; it cannot list origins.
            response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["SESSION_COOKIE_SECURE"]:
            # Served over HTTPS: browsers must never fall back to plain HTTP.
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        user = g.get("_login_user")  # set once Flask-Login loaded the user: no query
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith("/static/")
        ):
            # Signed-in pages show patient data: no browser or proxy may keep them.
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    # Werkzeug's development server logs every request line, patient-link tokens
    # included; keep only its warnings. Gunicorn logs through serving.RedactingLogger.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
