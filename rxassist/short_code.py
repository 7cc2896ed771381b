"""Short codes a patient types from paper: no look-alikes, grouped in fours."""

from __future__ import annotations

import hashlib
import secrets

# Crockford's base32 without 0/O, 1/I/L and U: nothing to mistake when read aloud or
# copied by hand (30 symbols).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8  # 30**8 ≈ 6.6e11 codes; the date of birth and the rate limits guard the rest
GROUP = 4
SEPARATOR = "-"
# What a person may type around the characters: dashes, spaces, dots.
IGNORED = " -._\t"
MAX_TYPED = 40


def new_code() -> str:
    """A random code as stored (normalized); ``display`` groups it for reading."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def display(raw: str) -> str:
    """The code in groups of four joined by dashes: e.g. ``K7QM-4XPD``."""
    return SEPARATOR.join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalize(typed: str) -> str | None:
    """The code as stored (upper case, no separators), or None when it cannot be one."""
    if len(typed) > MAX_TYPED:
        return None
    raw = "".join(ch for ch in typed.upper() if ch not in IGNORED)
    if len(raw) != LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def code_hash(raw: str) -> str:
    """SHA-256 of a normalized code: only the hash is stored, as for link tokens."""
    return hashlib.sha256(("short-code:" + raw).encode()).hexdigest()
