"""The electronic signature as it prints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rxassist.attestation import signed_now


@dataclass
class _Prescriber:
    name: str = "Maria Lopez"
    credentials: str = "MD"
    npi: str = "1234567893"
    license: str = "ME123456"
    license_state: str = "FL"


def test_signature_prints_in_the_practices_time_zone() -> None:
    at = datetime(2026, 11, 30, 19, 3, tzinfo=UTC)
    signature = signed_now(_Prescriber(), "America/New_York", at)
    assert signature.statement == (
        "Electronically signed by Maria Lopez, MD, NPI 1234567893, FL license "
        "ME123456, on 11/30/2026 at 2:03 PM EST"
    )
    assert signature.date == "11/30/2026"


def test_signature_date_follows_the_zone_across_midnight() -> None:
    at = datetime(2026, 7, 1, 3, 30, tzinfo=UTC)
    assert signed_now(_Prescriber(), "America/Los_Angeles", at).date == "06/30/2026"
    assert (
        "at 8:30 PM PDT"
        in signed_now(_Prescriber(), "America/Los_Angeles", at).statement
    )


def test_signature_without_a_license_state_still_names_the_license() -> None:
    at = datetime(2026, 11, 30, 19, 3, tzinfo=UTC)
    signature = signed_now(_Prescriber(license_state=""), "America/New_York", at)
    assert ", license ME123456, on" in signature.statement
