"""Flask CLI commands: rx render, icd10 import/status, admin (accounts, signing)."""

from __future__ import annotations

import json
import secrets
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

import models
from extensions import codeset, db
from rxassist.accounts import password_problem
from rxassist.icd_build import BuildError, build
from rxassist.lifecycle import new_number
from rxassist.localtime import is_zone
from rxassist.pdf import PdfEngineError
from rxassist.prescription import parse_date
from rxassist.schema import RECORD_LIMITS
from services import accounts, audit, checks, signing, tokens
from services.links import token_hash
from services.rendering import prescription_pdf

rx_cli = AppGroup("rx", help="Prescriptions.")


def _read_document(source: click.utils.LazyFile) -> Any:
    """The JSON document of FILE (or stdin), numbered if it has no number yet."""
    try:
        document = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        click.echo(f"ERROR document.json document: not valid JSON ({exc})", err=True)
        sys.exit(1)
    if isinstance(document, dict) and not document.get("number"):
        written = parse_date(document.get("written_on")) or date.today()
        document["number"] = new_number(written)
    return document


@rx_cli.command("check")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def check(source: click.utils.LazyFile, as_json: bool) -> None:
    """Check a prescription document (JSON; - for stdin) against every rule.

    Prints one line per finding, SEVERITY RULE-ID FIELD: message; exits 1 when there
    is an error, else 0.
    """
    checked = checks.review(_read_document(source))
    if as_json:
        click.echo(json.dumps(checked.to_json(), indent=2))
    else:
        for line in checked.lines():
            click.echo(line)
    sys.exit(0 if checked.ok else 1)


@rx_cli.command("render")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the PDF.",
)
def render(source: click.utils.LazyFile, output: Path) -> None:
    """Check a prescription document (JSON; - for stdin) and render its PDF.

    Refuses a document with an error; prints every finding as ``rx check`` does.
    """
    checked = checks.review(_read_document(source))
    for line in checked.lines():
        click.echo(line, err=True)
    if checked.rx is None or not checked.ok:
        sys.exit(1)
    for warning in checked.rx.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        data = prescription_pdf(checked.rx)
    except PdfEngineError as exc:
        click.echo(f"pdf: {exc}", err=True)
        sys.exit(2)
    output.write_bytes(data)
    click.echo(f"wrote {output} ({len(data):,} bytes)")


icd_cli = AppGroup("icd10", help="The ICD-10-CM code set.")


@icd_cli.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def icd_import(source: Path) -> None:
    """Install a CMS ICD-10-CM release (tabular XML, .xml.gz or CMS zip) and use it."""
    dest = codeset.imported_path()
    try:
        info = build(source, dest)
    except (BuildError, OSError, zipfile.BadZipFile) as exc:
        click.echo(f"icd10 import: {exc}", err=True)
        sys.exit(1)
    click.echo(
        f"{info.label} ({info.release}), effective {info.effective_from:%m/%d/%Y} to "
        f"{info.effective_to:%m/%d/%Y}: {info.billable:,} billable codes; now in use."
    )


@icd_cli.command("status")
def icd_status() -> None:
    """Show the code set in use and whether it covers today."""
    index = codeset.index()
    covered = "covers today" if index.covers(date.today()) else "does NOT cover today"
    click.echo(
        f"{index.label} ({index.release}) from {codeset.path()}: "
        f"effective {index.effective_from:%m/%d/%Y} to {index.effective_to:%m/%d/%Y}, "
        f"{covered}; {index.billable_count():,} billable codes."
    )


admin_cli = AppGroup("admin", help="Practices and physician accounts.")


def _password_option(func: Any) -> Any:
    return click.option(
        "--password",
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        help="The new password (asked when not given).",
    )(func)


def _check_password(password: str, email: str) -> None:
    if problem := password_problem(password, email):
        raise click.BadParameter(problem, param_hint="--password")


@admin_cli.command("create-practice")
@click.argument("name")
def create_practice(name: str) -> None:
    """Create a practice."""
    name = name.strip()
    longest = RECORD_LIMITS["practice_name"]
    if not name or len(name) > longest:
        raise click.BadParameter(
            f"give a name of 1 to {longest} characters", param_hint="NAME"
        )
    if db.session.scalar(select(models.Practice).where(models.Practice.name == name)):
        click.echo(f"A practice named {name!r} exists already.", err=True)
        sys.exit(1)
    practice = models.Practice(name=name)
    db.session.add(practice)
    db.session.commit()
    click.echo(f"Created practice {practice.id}: {practice.name}")


@admin_cli.command("set-time-zone")
@click.argument("practice_name")
@click.argument("zone")
def set_time_zone(practice_name: str, zone: str) -> None:
    """Show a practice's dates and times in ZONE (IANA, e.g. America/Chicago)."""
    practice = _practice(practice_name)
    if zone != "" and not is_zone(zone):
        raise click.BadParameter(
            "give an IANA time zone such as America/Chicago, or '' for RX_TIMEZONE",
            param_hint="ZONE",
        )
    practice.time_zone = zone
    db.session.commit()
    click.echo(f"{practice.name}: times shown in {zone or 'RX_TIMEZONE'}")


@admin_cli.command("create-user")
@click.argument("email")
@click.option("--practice", "practice_name", required=True, help="Practice name or id.")
@_password_option
def create_user(email: str, practice_name: str, password: str) -> None:
    """Create a physician account in a practice."""
    _check_password(password, email)
    practice = db.session.scalar(
        select(models.Practice).where(
            (models.Practice.name == practice_name)
            | (
                models.Practice.id
                == (int(practice_name) if practice_name.isdigit() else -1)
            )
        )
    )
    if practice is None:
        click.echo(f"No practice {practice_name!r}: create it first.", err=True)
        sys.exit(1)
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an email address", param_hint="EMAIL")
    if _user(email) is not None:
        click.echo(f"An account for {email} exists already.", err=True)
        sys.exit(1)
    user = models.User(email=email, practice_id=practice.id, practice=practice.name)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(
        f"Created {email} in {practice.name}; they complete their profile at login."
    )


@admin_cli.command("reset-password")
@click.argument("email")
@_password_option
def reset_password(email: str, password: str) -> None:
    """Set a new password for an account."""
    _check_password(password, email)
    user = _user(email.strip().lower())
    if user is None:
        click.echo(f"No account for {email}.", err=True)
        sys.exit(1)
    # An administrator resets a password someone else may know: every session ends.
    accounts.change_password(
        user, password, audit.Actor(user=user), action="password reset"
    )
    click.echo(f"Password of {user.email} reset; every session of the account ended.")


@admin_cli.command("list-users")
def list_users() -> None:
    """List accounts with their practice."""
    for user in db.session.scalars(select(models.User).order_by(models.User.email)):
        practice = user.practice_ref.name if user.practice_ref else "-"
        complete = (
            "profile complete" if not user.profile_missing else "profile incomplete"
        )
        click.echo(f"{user.email}\t{practice}\t{complete}")


@admin_cli.command("create-api-key")
@click.option("--practice", "practice_name", required=True, help="Practice name or id.")
@click.option("--name", required=True, help="What uses the key, e.g. 'EHR interface'.")
def create_api_key(practice_name: str, name: str) -> None:
    """Create an API key for a practice; the key is shown once."""
    practice = _practice(practice_name)
    secret = tokens.KEY_PREFIX + secrets.token_urlsafe(tokens.SECRET_BYTES)
    key = models.ApiKey(
        practice_id=practice.id,
        name=name.strip()[: RECORD_LIMITS["api_key_name"]],
        prefix=secret[:12],
        key_hash=token_hash(secret),
    )
    db.session.add(key)
    db.session.flush()
    audit.record(
        "api key created", None, audit.Actor(api_key_id=key.id), detail=practice.name
    )
    db.session.commit()
    click.echo(f"API key {key.id} for {practice.name} ({key.name}):")
    click.echo(secret)
    click.echo("Store it now: only its hash is kept.", err=True)


@admin_cli.command("revoke-api-key")
@click.argument("key_id")
def revoke_api_key(key_id: str) -> None:
    """Revoke an API key at once (``revoke-api-key -- KEY_ID`` for an id with "-")."""
    key = db.session.get(models.ApiKey, key_id)
    if key is None:
        click.echo(f"No API key {key_id}.", err=True)
        sys.exit(1)
    key.revoked_at = key.revoked_at or models.utcnow()
    audit.record("api key revoked", None, audit.Actor(api_key_id=key.id))
    db.session.commit()
    click.echo(f"Revoked API key {key.id} ({key.name}).")


@admin_cli.command("list-api-keys")
def list_api_keys() -> None:
    """List API keys with their practice and state."""
    for key in db.session.scalars(
        select(models.ApiKey).order_by(models.ApiKey.created_at)
    ):
        state = "revoked" if key.revoked_at else "active"
        click.echo(f"{key.id}\t{key.prefix}…\t{key.practice.name}\t{key.name}\t{state}")


@admin_cli.command("create-token")
@click.option("--email", required=True, help="The physician's account email.")
@click.option("--name", default="command line", help="What uses the token.")
def create_token(email: str, name: str) -> None:
    """Create a personal API token of a physician; the token is shown once."""
    user = _user(email.strip().lower())
    if user is None:
        _fail(f"No account for {email}.")
    if not name.strip():
        raise click.BadParameter("give a name", param_hint="--name")
    token, secret = tokens.new_personal_token(user, name, audit.Actor(user=user))
    click.echo(f"Personal token {token.id} of {user.email} ({token.name}):")
    click.echo(secret)
    click.echo("Store it now: only its hash is kept.", err=True)


signing_cli = AppGroup("signing-cert", help="The certificates that sign issued PDFs.")


@signing_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--practice", "practice_name", help="Practice name or id.")
@click.option(
    "--installation",
    is_flag=True,
    help="For physicians in no practice, instead of --practice.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    help="The .p12/.pfx file's password (asked when not given).",
)
def signing_cert_import(
    file: Path, practice_name: str | None, installation: bool, password: str
) -> None:
    """Install a CA-issued certificate (.p12/.pfx, with its chain) as the active one."""
    practice = _signing_practice(practice_name, installation)
    try:
        data = file.read_bytes()
        record = signing.import_pkcs12(data, password, practice)
    except OSError as exc:
        _fail(f"signing-cert import: cannot read {file}: {exc.strerror}")
    except signing.SigningError as exc:
        _fail(f"signing-cert import: {exc}")
    owner = practice.name if practice is not None else "the installation"
    audit.record(
        "signing certificate imported",
        None,
        audit.Actor(),
        detail=f"{owner}: {record.fingerprint_sha256}",
    )
    db.session.commit()
    click.echo(f"Installed {record.subject} for {owner}; it signs from now on.")


@signing_cli.command("show")
@click.option(
    "--practice", "practice_name", help="Practice name or id (default: none)."
)
def signing_cert_show(practice_name: str | None) -> None:
    """Show the certificate a practice (or the installation) signs with."""
    practice = _practice(practice_name) if practice_name else None
    record = signing.active_certificate(practice)
    owner = practice.name if practice is not None else "the installation"
    if record is None:
        click.echo(f"No certificate for {owner} yet: one is made at its first signing.")
        return
    try:
        info = signing.summary(record)
    except signing.SigningError as exc:
        _fail(f"signing-cert show: {exc}")
    kind = "self-signed" if info.self_signed else "issued by a certificate authority"
    click.echo(f"Certificate of {owner} ({kind})")
    click.echo(f"subject:     {info.subject}")
    click.echo(f"issuer:      {info.issuer}")
    click.echo(f"sha-256:     {info.fingerprint}")
    click.echo(f"valid until: {info.not_after:%m/%d/%Y %H:%M} UTC")
    click.echo(f"key opens:   {'yes' if info.key_opens else 'no'}")
    if not info.key_opens:
        _fail(f"signing-cert show: {signing.KEY_UNOPENABLE}")


def _signing_practice(
    practice_name: str | None, installation: bool
) -> models.Practice | None:
    if bool(practice_name) == installation:
        _fail("signing-cert import: give --practice ID_OR_NAME or --installation.")
    return _practice(practice_name) if practice_name else None


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(1)


def _practice(name_or_id: str) -> models.Practice:
    practice = db.session.scalar(
        select(models.Practice).where(
            (models.Practice.name == name_or_id)
            | (models.Practice.id == (int(name_or_id) if name_or_id.isdigit() else -1))
        )
    )
    if practice is None:
        click.echo(f"No practice {name_or_id!r}: create it first.", err=True)
        sys.exit(1)
    return practice


def _user(email: str) -> models.User | None:
    return db.session.scalar(
        select(models.User).where(func.lower(models.User.email) == email)
    )


def register(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(rx_cli)
    app.cli.add_command(icd_cli)
    admin_cli.add_command(signing_cli)
    app.cli.add_command(admin_cli)
