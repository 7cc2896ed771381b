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
# Health plans bill on a CMS-1500 by member ID, with the onset date (item 14) and
# whether the condition is related to employment or an accident (item 10).
HEALTH_PLANS = frozenset({"commercial", "medicare", "medicaid"})

# Which payer types each group of coverage fields is for: the wizard shows a group
# only for its payers (data-show-for) and the PDF prints it the same way.
FIELDS_FOR: dict[str, frozenset[str]] = {
    "health_plan": HEALTH_PLANS,
    "injury": INJURY_PAYERS,
    "workers_comp": frozenset({"workers_comp"}),
    "auto_pip": frozenset({"auto_pip"}),
}

# Florida PIP: was an emergency medical condition determined (Fla. Stat. 627.736(1)(a))?
EMERGENCY_MEDICAL_CONDITION: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    "not_determined": "Not determined",
}
EMC_LABEL = "Emergency medical condition (Fla. Stat. 627.736(1)(a)3)"

# CMS-1500 items 10a-c: is the patient's condition related to ...
RELATED_TO: dict[str, str] = {
    "employment": "Employment (current or previous)",
    "auto_accident": "Auto accident",
    "other_accident": "Other accident",
    "none": "None of these",
}
# ... an injury another payer usually pays first.
RELATED_TO_PAYER: dict[str, str] = {
    "employment": "employment: Workers' Compensation",
    "auto_accident": "an auto accident: auto PIP/no-fault",
}

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
NPI_LENGTH = 10
NPI_INVALID = (
    f"Not a valid NPI: it needs {NPI_LENGTH} digits with a correct check digit."
)


def npi_is_valid(npi: str) -> bool:
    """Return True for a 10-digit NPI whose Luhn check digit is right."""
    if len(npi) != NPI_LENGTH or not npi.isascii() or not npi.isdigit():
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
