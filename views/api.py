"""JSON API v1: ICD-10-CM search."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from extensions import csrf
from services import icd_index

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MAX_QUERY = 200
MAX_LIMIT = 50


@bp.get("/icd10/search")
def icd10_search() -> Any:
    """Search the ICD-10-CM code set by code or words."""
    query = request.args.get("q", "")
    errors: dict[str, str] = {}
    if not query.strip():
        errors["q"] = "Enter a code or words to search for."
    elif len(query) > MAX_QUERY:
        errors["q"] = f"Use at most {MAX_QUERY} characters."
    raw_limit = request.args.get("limit", "20")
    limit = int(raw_limit) if raw_limit.isascii() and raw_limit.isdigit() else 0
    if not 1 <= limit <= MAX_LIMIT:
        errors["limit"] = f"limit must be a whole number from 1 to {MAX_LIMIT}."
    billable = request.args.get("billable", "only")
    if billable not in ("only", "all"):
        errors["billable"] = "billable must be 'only' or 'all'."
    if errors:
        return {"error": "Invalid search.", "fields": errors}, 400
    index = icd_index()
    results = index.search(query, limit=limit, billable_only=billable == "only")
    return {
        "query": query,
        "version": index.version,
        "count": len(results),
        "results": [
            {
                "code": r.code,
                "description": r.description,
                "billable": r.billable,
                **({"matched": r.matched} if r.matched else {}),
                **({"excludes": list(r.excludes)} if r.excludes else {}),
            }
            for r in results
        ],
    }
