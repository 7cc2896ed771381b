"""Rules for physician accounts that the web forms and the command line share."""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIN_PASSWORD = 10
MAX_PASSWORD = 200  # long passphrases are fine; the bound only limits hashing work
MAX_EMAIL = 254  # the longest address SMTP can carry (RFC 5321)
MIN_DISTINCT = 5  # "ababababab" and "1212121212" have 2
MIN_EMAIL_PART = 4  # a shorter local part ("jo") is too common to refuse in passwords

_COMMON = Path(__file__).resolve().parent / "data" / "common_passwords.txt"
# Runs people type instead of choosing: digits, the alphabet, keyboard rows.
SEQUENCES = (
    "01234567890",
    "abcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "1q2w3e4r5t6y7u8i9o0p",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
)
_LEET = str.maketrans("0134578@$!|", "oieastbasil")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The curated word list of common passwords and their base words."""
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is too weak for an account of ``email``, or None."""
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Use at most {MAX_PASSWORD} characters."
    folded = password.lower()
    if len(set(folded)) < MIN_DISTINCT or _repeats(folded):
        return "Use more than a few characters repeated."
    if _in_sequence(folded):
        return "Do not use a run of keys or digits (1234567890, qwertyuiop)."
    base = _EDGES.sub("", folded)
    words = common_passwords()
    if folded in words or base in words or base.translate(_LEET) in words:
        return "This password is among the most common ones: choose another."
    local = email.lower().partition("@")[0]
    if len(local) >= MIN_EMAIL_PART and (
        local in folded or local in folded.translate(_LEET)
    ):
        return "Do not use your email address in your password."
    return None


def _repeats(text: str) -> bool:
    """True when ``text`` is one short piece repeated ("passpasspass")."""
    for size in range(1, len(text) // 2 + 1):
        piece = text[:size]
        if (piece * (len(text) // size + 1))[: len(text)] == text:
            return True
    return False


def _in_sequence(text: str) -> bool:
    """True when ``text`` is a run of one sequence, forwards or backwards."""
    for sequence in SEQUENCES:
        runs = sequence * 2  # "7890123" wraps round
        if text in runs or text[::-1] in runs:
            return True
    return False


# Who may sign: an NPI belongs to one account in the install, and an administrator
# of the physician's practice confirms identity and NPI before the first signature.
NPI_TAKEN = "This NPI belongs to another account in this install."
NOT_CONFIRMED = (
    "An administrator of your practice must confirm your identity and NPI before "
    "you can sign."
)
KEY_NOT_CONFIRMED = (
    "This physician's identity and NPI are not confirmed by an administrator of "
    "your practice yet: they cannot sign."
)
NO_SUCH_PHYSICIAN = "No physician of your practice has this NPI."
NPI_MISSING = "Name the physician: send their NPI."
NPI_DIFFERS = "npi and prescriber.npi name different physicians: send one NPI."
SELF_CONFIRM = (
    "Another administrator confirms your own NPI (or the command line: "
    "flask admin confirm EMAIL)."
)
REGISTRATION_CLOSED = (
    "Accounts are made by invitation: ask an administrator of your practice for one."
)
# Invitation and first-run setup links: random, shown once, stored as a hash.
# What identifies a prescriber to the administrator who confirms them: a change of any
# of these after the confirmation needs a new one.
IDENTITY_FIELDS = ("name", "credentials", "npi", "license", "license_state")
NPI_NOT_AS_SEEN = (
    "This physician's NPI changed since the page was shown (it is now {npi}): check "
    "their identity and NPI again; nothing was confirmed."
)
UNKNOWN_CREDENTIALS = "Choose one of the credentials listed."

INVITATION_DAYS = 7
SETUP_HOURS = 24
LINK_TOKEN_BYTES = 32  # 256 bits
MAX_LINK_TOKEN = 100  # longer than any token made: a longer one is not looked up
