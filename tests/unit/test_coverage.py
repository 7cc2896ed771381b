"""NPI check digits."""

import pytest

from rxassist.coverage import npi_is_valid


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_npi_with_a_right_check_digit_is_valid(npi: str) -> None:
    assert npi_is_valid(npi)


@pytest.mark.parametrize(
    "npi",
    [
        "1234567890",
        "1234567894",
        "123456789",
        "12345678931",
        "12345678a3",
        "",
        "１２３４５６７８９３",
    ],
)
def test_npi_with_a_wrong_check_digit_or_shape_is_invalid(npi: str) -> None:
    assert not npi_is_valid(npi)
