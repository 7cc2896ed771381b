"""What the physician attests and signs at Finalize, and how the signature prints.

Payers require orders signed by hand or electronically; a signature stamp is not
accepted (CMS Program Integrity Manual, chapter 3, 3.3.2.4). Finalize is the
electronic signature: the physician attests, confirms with their password, and the
PDF prints who signed, when, and which attestation text they signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rxassist.localtime import local

# The version of the attestation's wording (rxassist.statement.attestation: "I attest
# that <the composed necessity statement>"). Bump it whenever that wording changes:
# each record keeps the version its physician signed.
ATTESTATION_VERSION = "2026-11-30.1"
SOURCE = "CMS Program Integrity Manual (Pub. 100-08), chapter 3, 3.3.2.4"
# How long after the physician typed their password Finalize signs without asking
# again, in seconds (a setting: RX_SIGN_WINDOW_SECONDS).
DEFAULT_SIGN_WINDOW = 5 * 60


@dataclass(frozen=True)
class Signature:
    """Who signed a prescription, and when (an aware time in the practice's zone)."""

    name: str
    credentials: str
    npi: str
    license: str
    license_state: str
    at: datetime

    @property
    def statement(self) -> str:
        """ "Electronically signed by Maria Lopez, MD, NPI …, FL license …, on …"."""
        license = " ".join(
            p for p in (self.license_state, "license", self.license) if p
        )
        hour = self.at.strftime("%I:%M %p").lstrip("0")
        who = f"{self.name}, {self.credentials}, NPI {self.npi}, {license}"
        return (
            f"Electronically signed by {who}, "
            f"on {self.at:%m/%d/%Y} at {hour} {self.at.tzname()}"
        )

    @property
    def date(self) -> str:
        """The date line: MM/DD/YYYY in the practice's zone."""
        return f"{self.at:%m/%d/%Y}"

    def to_document(self) -> dict[str, str]:
        """As stored with the record, so every later print matches the PDF."""
        return {"statement": self.statement, "date": self.date}


def signed_now(prescriber: object, zone: str, now: datetime | None = None) -> Signature:
    """The signature of ``prescriber`` (a Prescriber) at ``now`` in ``zone``."""
    moment = local(now or datetime.now(UTC), zone)
    return Signature(
        name=str(getattr(prescriber, "name", "")),
        credentials=str(getattr(prescriber, "credentials", "")),
        npi=str(getattr(prescriber, "npi", "")),
        license=str(getattr(prescriber, "license", "")),
        license_state=str(getattr(prescriber, "license_state", "") or ""),
        at=moment,
    )
