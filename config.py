"""Settings: defaults, then the environment, then the mapping passed to create_app."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rxassist.attestation import DEFAULT_SIGN_WINDOW
from rxassist.localtime import DEFAULT_ZONE, is_zone
from rxassist.pdf import PAGE_SIZES

ROOT = Path(__file__).resolve().parent
# The default instance folder (secret key, SQLite database); RX_INSTANCE_PATH moves it.
INSTANCE = ROOT / "instance"
# The names a local run answers on when neither RX_PUBLIC_URL nor TRUSTED_HOSTS is set.
LOCAL_HOSTS = ("localhost", "127.0.0.1")


def load(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the configuration for one application instance."""
    env = os.environ
    settings: dict[str, Any] = {
        "RX_INSTANCE_PATH": env.get("RX_INSTANCE_PATH") or str(INSTANCE),
        "SECRET_KEY": env.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or None,
        # hide_parameters: a database error's message never quotes the values it
        # carried (patient names), wherever it is logged or shown.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "RX_PAGE_SIZE": _page_size(env.get("RX_PAGE_SIZE", "Letter")),
        "WKHTMLTOPDF": env.get("WKHTMLTOPDF") or None,
        "RX_ICD_INDEX": env.get("RX_ICD_INDEX") or None,
        # Where `flask icd10 import` installs a release (default: the instance folder).
        "RX_ICD_IMPORT_DIR": env.get("RX_ICD_IMPORT_DIR") or None,
        "RX_FRAME_ANCESTORS": _origins(env.get("RX_FRAME_ANCESTORS", "")),
        "RX_LAUNCH_SECRET": env.get("RX_LAUNCH_SECRET") or None,
        "RX_LAUNCH_MAX_AGE": int(env.get("RX_LAUNCH_MAX_AGE", "300")),
        # Encrypts the private keys that sign issued PDFs. Unset: a key derived from
        # SECRET_KEY, so a fresh install signs at once; changing either then leaves
        # the stored keys unopenable (services/signing.py says so in its error).
        "RX_SIGNING_SECRET": env.get("RX_SIGNING_SECRET") or None,
        "SESSION_COOKIE_SAMESITE": env.get("SESSION_COOKIE_SAMESITE", "Lax"),
        "RX_PROXY_FIX": int(env.get("RX_PROXY_FIX", "0")),
        "RX_LINK_DAYS": int(env.get("RX_LINK_DAYS", "90")),
        # A TOML file of payer profiles added to (or replacing) the shipped ones.
        "RX_PAYER_PROFILES": env.get("RX_PAYER_PROFILES") or None,
        # The time zone of practices that name none (flask admin set-time-zone):
        # every date and time a person reads, the signature's too, is shown in it.
        "RX_TIMEZONE": env.get("RX_TIMEZONE", DEFAULT_ZONE),
        # Finalize signs without asking the password again this long after it was
        # typed (seconds).
        "RX_SIGN_WINDOW_SECONDS": int(
            env.get("RX_SIGN_WINDOW_SECONDS", str(DEFAULT_SIGN_WINDOW))
        ),
        # The public address of this install (https://rx.clinic.example), printed on
        # PDFs for the verification page; by default the address of the request.
        "RX_PUBLIC_URL": env.get("RX_PUBLIC_URL") or None,
        # Host headers answered (Flask refuses others with 400). Unset: any when
        # RX_PUBLIC_URL gives the links' address, else only this machine's names.
        "TRUSTED_HOSTS": _hosts(env.get("TRUSTED_HOSTS", "")) or None,
        # Bearer token with which a monitor off this host reads /healthz's details.
        "RX_HEALTH_TOKEN": env.get("RX_HEALTH_TOKEN") or None,
        # wkhtmltopdf renders at once (the machine's cores), and how long a Finalize
        # waits for one before it answers "busy, try again" (seconds).
        "RX_PDF_SLOTS": int(env.get("RX_PDF_SLOTS", str(os.cpu_count() or 2))),
        "RX_PDF_WAIT_SECONDS": float(env.get("RX_PDF_WAIT_SECONDS", "20")),
        # API calls (with a key or token) this process works on at once, and how long
        # one waits for a turn before it answers 503 "try again" (seconds): EHRs
        # sending as fast as they may queue here instead of slowing every page.
        "RX_API_SLOTS": int(env.get("RX_API_SLOTS", "2")),
        "RX_API_WAIT_SECONDS": float(env.get("RX_API_WAIT_SECONDS", "10")),
        # Prescriptions one physician, key or token may issue (or request) a minute.
        "RX_FINALIZE_LIMIT": env.get("RX_FINALIZE_LIMIT", "20 per minute"),
        "RX_ICD_PRELOAD": env.get("RX_ICD_PRELOAD", "") == "1",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": env.get("SESSION_COOKIE_SECURE", "") == "1",
        # Sessions live on the server (services/sessions.py): they end after this
        # long without a request, and this long after the login whatever happens.
        "RX_SESSION_IDLE_MINUTES": int(env.get("RX_SESSION_IDLE_MINUTES", "30")),
        "RX_SESSION_MAX_HOURS": int(env.get("RX_SESSION_MAX_HOURS", "12")),
        # No "remember me" is offered: the browser's cookie ends with the browser.
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # memory:// is exact because `make run` serves from one process (serving.py);
        # several processes or hosts need a shared store (redis://…).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Flask-Limiter's own headers send Retry-After on every answer; views/api.py
        # sends the standard RateLimit-* set instead (Retry-After on 429 only).
        "RATELIMIT_HEADERS_ENABLED": False,
        # Off only for local benchmarks sending thousands of requests from one address.
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
    }
    settings.update(overrides or {})
    settings["RX_PAGE_SIZE"] = _page_size(settings["RX_PAGE_SIZE"])
    settings["RX_FRAME_ANCESTORS"] = _origins(settings["RX_FRAME_ANCESTORS"])
    _time_zone(settings["RX_TIMEZONE"])
    for name in ("RX_PDF_SLOTS", "RX_API_SLOTS"):
        if int(settings[name]) < 1:
            raise ValueError(f"{name} must be 1 or more")
    for name in ("RX_SESSION_IDLE_MINUTES", "RX_SESSION_MAX_HOURS"):
        if int(settings[name]) <= 0:
            raise ValueError(f"{name} must be a positive number")
    if settings["TRUSTED_HOSTS"] is None and not settings["RX_PUBLIC_URL"]:
        # Links are built from the Host header then: a forged one must not be used.
        settings["TRUSTED_HOSTS"] = list(LOCAL_HOSTS)
    # Only valid settings reach the instance folder (the defaults create it).
    instance = Path(settings["RX_INSTANCE_PATH"])
    settings["RX_INSTANCE_PATH"] = str(instance)
    settings["SQLALCHEMY_DATABASE_URI"] = database_url(
        settings["SQLALCHEMY_DATABASE_URI"], instance
    )
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = _instance_secret(instance)
    return settings


def database_url(url: str | None, instance: Path = INSTANCE) -> str:
    """The SQLAlchemy URL: SQLite in the instance folder unless ``url`` names one."""
    if not url:
        instance.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance / 'rxassist.sqlite3'}"
    # psycopg 3 is the driver installed; plain postgres URLs would ask for psycopg2.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _origins(value: str | list[str]) -> list[str]:
    """Origins allowed to frame the app, from "https://a.example https://b.example"."""
    items = value.replace(",", " ").split() if isinstance(value, str) else value
    origins = []
    for origin in items:
        origin = origin.strip().rstrip("/")
        if not origin.startswith(("https://", "http://")) or any(
            c in origin for c in " ;'\"\n"
        ):
            raise ValueError(f"RX_FRAME_ANCESTORS: {origin!r} is not an origin")
        origins.append(origin)
    return origins


def _hosts(value: str) -> list[str]:
    """Host names from "rx.clinic.example, .clinic.example" (a dot: its subdomains)."""
    return value.replace(",", " ").split()


def _page_size(value: str) -> str:
    for size in PAGE_SIZES:
        if value.strip().lower() == size.lower():
            return size
    raise ValueError(f"RX_PAGE_SIZE must be Letter or A4, not {value!r}")


def _instance_secret(instance: Path) -> str:
    """A per-installation key in the instance folder: a local run needs no setup."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _time_zone(name: str) -> None:
    """Refuse an unknown time zone at start, rather than at the first signature."""
    if not is_zone(name):
        raise ValueError(f"RX_TIMEZONE: {name!r} is not a time zone")
