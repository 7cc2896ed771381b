"""Rules for physician accounts that the web forms and the command line share."""

from __future__ import annotations

MIN_PASSWORD = 10
MAX_PASSWORD = 200  # long passphrases are fine; the bound only limits hashing work
MAX_EMAIL = 254  # the longest address SMTP can carry (RFC 5321)
