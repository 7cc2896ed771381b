"""The lifecycle: which actions each status allows, what they leave, the numbers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from rxassist import lifecycle
from rxassist.lifecycle import Action, Status

ALLOWED = {
    (Action.FINALIZE, Status.DRAFT),
    (Action.FINALIZE, Status.AWAITING_SIGNATURE),
    (Action.AMEND, Status.FINAL),
    (Action.VOID, Status.FINAL),
    (Action.SHARE, Status.FINAL),
    (Action.RENEW, Status.FINAL),
    (Action.RENEW, Status.SUPERSEDED),
    (Action.RENEW, Status.VOID),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_lifecycle_allows_exactly_the_listed_transitions(
    action: Action, status: Status
) -> None:
    assert lifecycle.can(action, status.value) == ((action, status) in ALLOWED)


@pytest.mark.parametrize(
    ("action", "leaves"),
    [
        (Action.FINALIZE, Status.FINAL),
        (Action.AMEND, Status.SUPERSEDED),
        (Action.VOID, Status.VOID),
    ],
)
def test_lifecycle_names_the_status_an_action_leaves(
    action: Action, leaves: Status
) -> None:
    assert lifecycle.after(action) is leaves


@pytest.mark.parametrize("action", [Action.RENEW, Action.SHARE])
def test_lifecycle_actions_that_change_no_status_say_so(action: Action) -> None:
    with pytest.raises(ValueError, match="does not change"):
        lifecycle.after(action)


def test_lifecycle_refusals_say_what_is_allowed() -> None:
    assert lifecycle.refusal(Action.AMEND) == (
        "Only a current prescription can be amended."
    )
    assert "shared" in lifecycle.refusal(Action.SHARE)


def test_lifecycle_patient_links_open_all_but_void_records() -> None:
    assert [s for s in lifecycle.RECORD_STATUSES if lifecycle.patient_may_open(s)] == [
        Status.FINAL,
        Status.SUPERSEDED,
    ]


def test_lifecycle_maps_every_record_status_to_a_fhir_request_status() -> None:
    for status in lifecycle.RECORD_STATUSES:
        assert lifecycle.fhir_status(status) in lifecycle.FHIR_REQUEST_STATUSES
    assert lifecycle.fhir_status("void") == "revoked"


def test_lifecycle_rejects_an_unknown_status() -> None:
    with pytest.raises(ValueError):
        lifecycle.can(Action.VOID, "cancelled")


def test_lifecycle_numbers_are_dated_and_readable_over_the_phone() -> None:
    numbers = {lifecycle.new_number(date(2026, 11, 23)) for _ in range(200)}
    assert len(numbers) == 200
    for number in numbers:
        assert re.fullmatch(r"RX-20261123-[2-9A-HJ-NP-Z]{6}", number)


def test_lifecycle_status_column_fits_every_record_status() -> None:
    assert max(len(s) for s in lifecycle.RECORD_STATUSES) <= lifecycle.STATUS_LENGTH


def test_lifecycle_awaiting_signature_is_no_record_status() -> None:
    assert Status.AWAITING_SIGNATURE not in lifecycle.RECORD_STATUSES
    assert Status.AWAITING_SIGNATURE.label == "Awaiting signature"
