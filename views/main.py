"""Home page and health check."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

import models
from extensions import codeset, db
from rxassist import pdf
from services.rendering import pdf_binary

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> Any:
    """Signed-in physicians land on their drafts; others see what the app does."""
    if current_user.is_authenticated:
        return redirect(url_for("wizard.drafts"))
    return render_template("index.html")


LOOPBACK = frozenset({"127.0.0.1", "::1"})


def _operator() -> bool:
    """Whether the caller may read the details: loopback, or RX_HEALTH_TOKEN's bearer.

    A request relayed by a proxy on this host (X-Forwarded-For without RX_PROXY_FIX)
    comes from loopback too, so only a direct local call counts as local.
    """
    expected = current_app.config["RX_HEALTH_TOKEN"]
    if expected:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.encode(), expected.encode()
        ):
            return True
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


def _database_writes() -> bool:
    """Whether the database takes a write: a row written, then rolled back.

    A read alone said "ok" while every write failed (a read-only file or replica).
    """
    try:
        db.session.execute(text("SELECT 1"))
        db.session.add(models.Practice(name=f"healthz probe {secrets.token_hex(8)}"))
        db.session.flush()
        return True
    except Exception:  # noqa: BLE001 - any driver error means "down" here
        return False
    finally:
        db.session.rollback()


@bp.get("/healthz")
def healthz() -> Any:
    """Database, ICD-10-CM code set and PDF engine status, as JSON.

    Others than the operator get only the overall status, with the same code.
    """
    status, code = _health()
    if not _operator():
        return {"status": status["status"]}, code
    return status, code


def _health() -> tuple[dict[str, Any], int]:
    """Every component's status and details, and the HTTP code they add up to."""
    status: dict[str, Any] = {"status": "ok"}
    if _database_writes():
        status["database"] = {"ok": True, "dialect": db.engine.dialect.name}
    else:
        status["database"] = {"ok": False}
        status["status"] = "degraded"
    try:
        index = codeset.index()
        status["icd10cm"] = {
            "ok": True,
            "version": index.version,
            "label": index.label,
            "release": index.release,
            "billable_codes": index.billable_count(),
        }
    except Exception:  # noqa: BLE001
        current_app.logger.exception("ICD-10-CM index failed to load")
        status["icd10cm"] = {"ok": False}
        status["status"] = "degraded"
    version = pdf.engine_version(pdf_binary())
    status["pdf_engine"] = {"ok": version is not None, "version": version}
    if version is None:
        status["status"] = "degraded"
    code = 200 if status["status"] == "ok" else 503
    return status, code
