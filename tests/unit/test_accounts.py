"""The accounts' one password rule."""

from __future__ import annotations

import pytest

from rxassist.accounts import common_passwords, password_problem

EMAIL = "maria.lopez@example.org"


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("short", "at least 10"),
        ("aaaaaaaaaa", "repeated"),
        ("ababababab", "repeated"),
        ("passpasspass", "repeated"),
        ("1234567890", "run of keys"),
        ("0987654321", "run of keys"),
        ("abcdefghij", "run of keys"),
        ("qwertyuiop", "run of keys"),
        ("1q2w3e4r5t", "run of keys"),
        ("password12", "most common"),
        ("Password2024!", "most common"),
        ("P@ssw0rd123", "most common"),
        ("welcome12345", "most common"),
        ("iloveyou!!!!", "most common"),
        ("maria.lopez1", "email"),
        ("MariaLopez!2026".replace("Lopez", ".lopez"), "email"),
    ],
)
def test_password_problem_refuses_weak_passwords(password: str, words: str) -> None:
    problem = password_problem(password, EMAIL)
    assert problem is not None and words in problem


@pytest.mark.parametrize(
    "password", ["correct horse battery", "Tr0ub4dor&3xyz", "lakeside kayak 1987"]
)
def test_password_problem_accepts_strong_passwords(password: str) -> None:
    assert password_problem(password, EMAIL) is None


def test_common_passwords_list_is_lower_case_and_commented() -> None:
    words = common_passwords()
    assert "password" in words and len(words) > 100
    assert all(w == w.lower() and not w.startswith("#") for w in words)
