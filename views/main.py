"""Home page and health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

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


@bp.get("/healthz")
def healthz() -> Any:
    """Database, ICD-10-CM code set and PDF engine status, as JSON."""
    status: dict[str, Any] = {"status": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
        status["database"] = {"ok": True, "dialect": db.engine.dialect.name}
    except Exception:  # noqa: BLE001 - any driver error means "down" here
        db.session.rollback()
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
