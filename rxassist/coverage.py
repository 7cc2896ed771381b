"""Payers, states and prescriber identifiers (NPI) that a claim needs."""

from __future__ import annotations

PAYER_TYPES: dict[str, str] = {
    "commercial": "Commercial health plan",
    "medicare": "Medicare",
    "medicaid": "Medicaid",
    "workers_comp": "Workers' Compensation",
    "auto_pip": "Auto PIP/no-fault",
    "self_pay": "Self-pay",
}

# Claims under these payers are tied to an injury: claim number and date of injury.
INJURY_PAYERS = frozenset({"workers_comp", "auto_pip"})

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware",
    "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah",
    "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "U.S. Virgin Islands", "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
}  # fmt: skip

CREDENTIALS = ("MD", "DO", "NP", "PA", "DC", "DPM", "PT", "APRN", "CNP", "PA-C")

# The NPI check digit is a Luhn digit computed as if prefixed by 80840 (ISO 7812).
NPI_PREFIX = "80840"


def npi_is_valid(npi: str) -> bool:
    """Return True for a 10-digit NPI whose Luhn check digit is right."""
    if len(npi) != 10 or not npi.isascii() or not npi.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(NPI_PREFIX + npi)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
