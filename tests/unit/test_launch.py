"""Signed launch parameters."""

import pytest

from rxassist.launch import LaunchError, sign, verify

SECRET = "shared-secret"
PARAMS = {
    "name": "Jane Doe",
    "dob": "1980-04-12",
    "mrn": "A-77",
    "payer_type": "commercial",
}


def test_launch_signed_with_the_secret_verifies_and_prefills() -> None:
    signed = sign(PARAMS, SECRET, now=1_000_000)
    sections = verify(signed, SECRET, max_age=300, now=1_000_100)
    assert sections["patient"] == {
        "name": "Jane Doe",
        "dob": "1980-04-12",
        "mrn": "A-77",
    }
    assert sections["coverage"] == {"payer_type": "commercial"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": "Eve"}, "signature"),
        ({"sig": "0" * 64}, "signature"),
        ({"sig": ""}, "signature"),
        ({"extra": "1"}, "signature"),
    ],
)
def test_launch_tampered_is_refused(change: dict[str, str], words: str) -> None:
    signed = {**sign(PARAMS, SECRET, now=1_000_000), **change}
    with pytest.raises(LaunchError, match=words):
        verify(signed, SECRET, max_age=300, now=1_000_000)


def test_launch_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(LaunchError, match="signature"):
        verify(sign(PARAMS, "other", now=1_000_000), SECRET, max_age=300, now=1_000_000)


def test_launch_older_than_max_age_is_refused() -> None:
    signed = sign(PARAMS, SECRET, now=1_000_000)
    with pytest.raises(LaunchError, match="expired"):
        verify(signed, SECRET, max_age=300, now=1_000_301)


def test_launch_without_a_configured_secret_is_refused() -> None:
    with pytest.raises(LaunchError, match="not configured"):
        verify(sign(PARAMS, SECRET), "", max_age=300)
