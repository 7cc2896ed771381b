"""Checking orders in this app: the code set in use and the payer profiles in force."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import current_app

from extensions import codeset
from rxassist import review as reviewing
from rxassist.payers import PayerProfiles
from rxassist.plan import Plan
from rxassist.prescription import Prescription
from rxassist.rules import Finding


def payer_profiles() -> PayerProfiles:
    """The shipped profiles and the administrator's (RX_PAYER_PROFILES), loaded once."""
    extra = current_app.config["RX_PAYER_PROFILES"]
    cached = current_app.extensions.get("rx_payers")
    if cached is None or cached[0] != extra:
        cached = (extra, PayerProfiles.load(Path(extra) if extra else None))
        current_app.extensions["rx_payers"] = cached
    profiles: PayerProfiles = cached[1]
    return profiles


def review(document: Any) -> reviewing.Review:
    """Every finding about a whole document, against the code set in use.

    Its prescription is as it would be issued now: re-evaluations scheduled.
    """
    checked = reviewing.review(document, codes=codeset.index(), payers=payer_profiles())
    if checked.rx is None:
        return checked
    return replace(checked, rx=scheduled(checked.rx))


def review_step(document: Any, sections: Iterable[str]) -> list[Finding]:
    """The findings a wizard step shows beside its fields."""
    return reviewing.review_sections(
        document, sections, codes=codeset.index(), payers=payer_profiles()
    )


def scheduled_plan(plan: Plan, coverage: Any) -> Plan:
    """The plan with its re-evaluation dates at the cadence of the coverage's payer."""
    terms = payer_profiles().for_coverage(coverage)
    return plan.scheduled(terms.get("progress_visits"), terms.get("progress_days"))


def scheduled(rx: Prescription) -> Prescription:
    """The prescription as it is issued: its re-evaluations under its payer's terms."""
    return replace(rx, plan=scheduled_plan(rx.plan, rx.coverage))
