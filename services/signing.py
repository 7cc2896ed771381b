"""PAdES signatures in issued PDFs: each practice's certificate, signing, verifying."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import current_app
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

import models
from extensions import db

# RSA rather than EC: every PDF viewer in use, old Acrobat Readers included, checks it.
KEY_SIZE = 3072
PUBLIC_EXPONENT = 65537
VALIDITY = timedelta(days=3650)
# Backdated a little, so a viewer whose clock runs behind still sees it as valid.
BACKDATE = timedelta(minutes=5)
# X.509's upper bound for a common name or an organization (RFC 5280, ub-common-name).
MAX_NAME = 64
INSTALLATION_NAME = "Rx Assist"
INSTALLATION_SLOT = "installation"
FIELD_NAME = "RxAssistSignature"
_DER = serialization.Encoding.DER
_SIGNING_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)
# Separate labels, so the same secret never yields the same key for two purposes.
KDF_INFO = {
    "RX_SIGNING_SECRET": b"rxassist signing-key encryption",
    "SECRET_KEY": b"rxassist signing-key encryption from SECRET_KEY",
}

KEY_UNOPENABLE = (
    "The signing certificate's key cannot be opened: RX_SIGNING_SECRET changed or is "
    "missing (without it the key is derived from SECRET_KEY). Set the secret it was "
    "stored with, or import a new certificate."
)


class SigningError(Exception):
    """A PDF cannot be signed, or a certificate cannot be used or installed."""


@dataclass(frozen=True)
class Verification:
    """What a PDF's digital signature proves; ``reason`` says why when it fails."""

    signed: bool
    intact: bool = False
    # Signed by a certificate this installation holds (current or replaced).
    trusted: bool = False
    covers_whole_document: bool = False
    signer_subject: str = ""
    signer_fingerprint: str = ""
    signed_at: datetime | None = None
    reason: str = ""

    @property
    def valid(self) -> bool:
        """Intact, complete and signed with one of this installation's certificates."""
        return all((self.signed, self.intact, self.covers_whole_document, self.trusted))


@dataclass(frozen=True)
class CertificateSummary:
    """What ``flask admin signing-cert show`` prints about a stored certificate."""

    subject: str
    issuer: str
    self_signed: bool
    fingerprint: str
    not_after: datetime
    key_opens: bool


def active_certificate(
    practice: models.Practice | None,
) -> models.SigningCertificate | None:
    """The certificate signing the practice's PDFs now, or None before first use."""
    return db.session.scalar(
        select(models.SigningCertificate).where(
            models.SigningCertificate.active_slot == _slot(practice)
        )
    )


def certificate_for(practice: models.Practice | None) -> models.SigningCertificate:
    """The practice's active certificate, made self-signed at its first use.

    The first certificate is committed in a transaction of its own, so two first uses
    at once leave one active certificate. On SQLite, call this before writing in the
    caller's transaction: the database takes one writer at a time.
    """
    record = active_certificate(practice)
    if record is not None:
        return record
    with Session(db.engine) as session:
        session.add(_self_signed(practice))
        try:
            session.commit()
        except IntegrityError:
            # Another first use stored its certificate first: that one is used.
            session.rollback()
        except OperationalError as exc:
            raise SigningError(
                f"The signing certificate could not be stored: {exc.orig}"
            ) from exc
    record = active_certificate(practice)
    if record is None:
        raise SigningError("The signing certificate could not be created.")
    return record


def import_pkcs12(
    data: bytes, password: str | None, practice: models.Practice | None
) -> models.SigningCertificate:
    """Install a CA-issued certificate with its key as the practice's active one.

    The replaced certificate is kept, so older PDFs still verify; the caller commits.
    """
    key, cert, chain = _open_pkcs12(data, password)
    _check_usable(key, cert)
    previous = active_certificate(practice)
    if previous is not None:
        previous.active_slot = None
        db.session.flush()
    record = _record(practice, key, [cert, *_ordered_chain(cert, chain)])
    db.session.add(record)
    db.session.flush()
    return record


def summary(record: models.SigningCertificate) -> CertificateSummary:
    """Subject, issuer, fingerprint, validity, and whether the secret opens its key."""
    leaf = _chain(record)[0]
    try:
        _private_key(record)
        opens = True
    except SigningError:
        opens = False
    return CertificateSummary(
        subject=leaf.subject.rfc4514_string(),
        issuer=leaf.issuer.rfc4514_string(),
        self_signed=record.self_signed,
        fingerprint=record.fingerprint_sha256,
        not_after=record.not_after,
        key_opens=opens,
    )


_T = TypeVar("_T")


def outside_event_loop(call: Callable[..., _T], *args: Any) -> _T:
    """Run one of pyHanko's calls that start their own asyncio loop.

    They cannot start one inside a thread whose loop runs already (an async server,
    or a test that drives a browser): there the call runs in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args).result()


def sign_pdf(
    data: bytes, practice: models.Practice | None, *, reason: str, signer_name: str
) -> bytes:
    """The PDF with an invisible PAdES B-B signature over the whole document."""
    signer = _signer(certificate_for(practice))
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data))
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise SigningError(f"Not a PDF that can be signed: {exc}") from exc
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=signer_name,
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, new_field_spec=fields.SigFieldSpec(FIELD_NAME)
    )
    try:
        output = outside_event_loop(pdf_signer.sign_pdf, writer)
    except (PdfError, ValueError) as exc:
        raise SigningError(f"The PDF could not be signed: {exc}") from exc
    return bytes(output.getvalue())


def verify_pdf(data: bytes) -> Verification:
    """Check a PDF's last signature offline; garbage answers ``signed=False``."""
    # pyHanko raises many kinds of error on damaged files: each means unreadable.
    try:
        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception:
        return Verification(signed=False, reason="The file is not a readable PDF.")
    if not signatures:
        return Verification(
            signed=False, reason="The PDF carries no digital signature."
        )
    embedded = signatures[-1]
    # Likewise a damaged signature: an answer for the reader, never a fault.
    try:
        status = outside_event_loop(
            validate_pdf_signature, embedded, _validation_context()
        )
        signed_at = embedded.self_reported_timestamp
    except Exception:
        return Verification(
            signed=True,
            reason="The digital signature is malformed and cannot be checked.",
        )
    leaf = x509.load_der_x509_certificate(status.signing_cert.dump())
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return Verification(
        signed=True,
        intact=intact,
        trusted=bool(status.trusted),
        covers_whole_document=whole,
        signer_subject=leaf.subject.rfc4514_string(),
        signer_fingerprint=leaf.fingerprint(hashes.SHA256()).hex(),
        signed_at=signed_at,
        reason=_finding(intact, whole, bool(status.trusted)),
    )


def _finding(intact: bool, whole: bool, trusted: bool) -> str:
    if not intact:
        return "The file was changed after it was signed."
    if not whole:
        return "The file carries content added after the signature."
    if not trusted:
        return (
            "The signature is intact but not made with this installation's certificate."
        )
    return ""


def _slot(practice: models.Practice | None) -> str:
    return f"practice:{practice.id}" if practice is not None else INSTALLATION_SLOT


def _key_password() -> bytes:
    """The PKCS#8 password, derived from RX_SIGNING_SECRET or else SECRET_KEY."""
    config = current_app.config
    source = "RX_SIGNING_SECRET" if config.get("RX_SIGNING_SECRET") else "SECRET_KEY"
    secret = config.get(source)
    if not secret:
        raise SigningError(KEY_UNOPENABLE)
    material = secret.encode() if isinstance(secret, str) else bytes(secret)
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=KDF_INFO[source]
    ).derive(material)
    return base64.urlsafe_b64encode(derived)


def _self_signed(practice: models.Practice | None) -> models.SigningCertificate:
    """A new key and a self-signed document-signing certificate naming the practice."""
    key = rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_SIZE)
    name = (practice.name if practice is not None else INSTALLATION_NAME)[:MAX_NAME]
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(secrets.randbits(159))
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_SIGNING_USAGE, critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return _record(practice, key, [cert])


def _record(
    practice: models.Practice | None,
    key: PrivateKeyTypes,
    chain: list[x509.Certificate],
) -> models.SigningCertificate:
    """A row for the certificate chain (signer first) with the key encrypted."""
    leaf = chain[0]
    encrypted = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password()),
    )
    return models.SigningCertificate(
        practice_id=practice.id if practice is not None else None,
        active_slot=_slot(practice),
        chain_pem="".join(
            c.public_bytes(serialization.Encoding.PEM).decode() for c in chain
        ),
        key_encrypted=encrypted,
        self_signed=_issued_by(leaf, leaf),
        subject=leaf.subject.rfc4514_string()[:500],
        fingerprint_sha256=leaf.fingerprint(hashes.SHA256()).hex(),
        not_after=leaf.not_valid_after_utc.replace(tzinfo=None),
    )


def _chain(record: models.SigningCertificate) -> list[x509.Certificate]:
    try:
        chain = x509.load_pem_x509_certificates(record.chain_pem.encode())
    except ValueError as exc:
        raise SigningError(
            f"The stored signing certificate {record.id} is corrupt: import a new one."
        ) from exc
    if chain[0].fingerprint(hashes.SHA256()).hex() != record.fingerprint_sha256:
        raise SigningError(
            f"The stored signing certificate {record.id} is corrupt: import a new one."
        )
    return chain


def _private_key(record: models.SigningCertificate) -> PrivateKeyTypes:
    try:
        # Parsed in full first, so a damaged blob is told apart from a wrong secret.
        _ = asn1_keys.EncryptedPrivateKeyInfo.load(record.key_encrypted).native
    except ValueError as exc:
        raise SigningError(
            f"The stored key of signing certificate {record.id} is corrupt: "
            "import a new certificate."
        ) from exc
    try:
        return serialization.load_der_private_key(
            record.key_encrypted, password=_key_password()
        )
    except (ValueError, TypeError) as exc:
        raise SigningError(KEY_UNOPENABLE) from exc


class _LoadedKeySigner(signers.SimpleSigner):  # type: ignore[misc]
    """A pyHanko signer that keeps its key loaded.

    SimpleSigner parses its key again at every signature (twice per PDF), and
    loading an RSA-3072 key costs about 90 ms of checks each time.
    """

    def __init__(self, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loaded = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign with the loaded key (RSA PKCS#1 v1.5 or ECDSA), else as pyHanko does."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if algorithm == "rsassa_pkcs1v15" and isinstance(self._loaded, RSAPrivateKey):
            return self._loaded.sign(data, PKCS1v15(), digest)
        if algorithm == "ecdsa" and isinstance(self._loaded, EllipticCurvePrivateKey):
            return self._loaded.sign(data, ECDSA(digest))
        return bytes(super().sign_raw(data, digest_algorithm))


# Signers opened in this process, by certificate, stored key and secret: opening a
# key (decrypting it) takes about 100 ms, once per process instead of per PDF.
_OPENED: dict[tuple[int, str, str], signers.SimpleSigner] = {}
_OPENED_LOCK = threading.Lock()


def _signer(record: models.SigningCertificate) -> signers.SimpleSigner:
    """A pyHanko signer holding the record's decrypted key and its chain."""
    password = _key_password()
    cache_key = (
        record.id,
        hashlib.sha256(record.key_encrypted).hexdigest(),
        hashlib.sha256(password).hexdigest(),
    )
    with _OPENED_LOCK:
        opened = _OPENED.get(cache_key)
    if opened is None:
        opened = _open_signer(record)
        with _OPENED_LOCK:
            _OPENED[cache_key] = opened
    return opened


def _open_signer(record: models.SigningCertificate) -> signers.SimpleSigner:
    """Decrypt the record's key and check it belongs to its certificate."""
    chain = _chain(record)
    key = _private_key(record)
    if not _same_key(key, chain[0]):
        raise SigningError(
            f"The stored key of signing certificate {record.id} does not belong to "
            "its certificate: import a new certificate."
        )
    as_asn1 = [asn1_x509.Certificate.load(c.public_bytes(_DER)) for c in chain]
    return _LoadedKeySigner(
        key,
        signing_cert=as_asn1[0],
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                _DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs(as_asn1),
    )


def _validation_context() -> ValidationContext:
    """Trusts every certificate this installation signs or signed with; no network."""
    leaves = []
    for pem in db.session.scalars(select(models.SigningCertificate.chain_pem)):
        try:
            leaf = x509.load_pem_x509_certificate(pem.encode())
        except ValueError:
            continue
        leaves.append(asn1_x509.Certificate.load(leaf.public_bytes(_DER)))
    return ValidationContext(
        trust_roots=leaves, allow_fetching=False, revocation_mode="soft-fail"
    )


def _open_pkcs12(
    data: bytes, password: str | None
) -> tuple[PrivateKeyTypes, x509.Certificate, list[x509.Certificate]]:
    """Key, certificate and other certificates of a .p12/.pfx file."""
    try:
        # cryptography says the same for both: parse first to tell them apart.
        _ = asn1_pkcs12.Pfx.load(data)["auth_safe"]["content"].native
    except (ValueError, TypeError, KeyError) as exc:
        raise SigningError("The file is not a PKCS#12 (.p12/.pfx) file.") from exc
    try:
        key, cert, others = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError as exc:
        raise SigningError("Wrong password for the PKCS#12 file.") from exc
    if key is None:
        raise SigningError("The PKCS#12 file holds no private key for its certificate.")
    if cert is None:
        raise SigningError("The PKCS#12 file holds no certificate for its key.")
    return key, cert, list(others)


def _check_usable(key: PrivateKeyTypes, cert: x509.Certificate) -> None:
    if not _same_key(key, cert):
        raise SigningError(
            "The private key in the file does not belong to its certificate."
        )
    now = datetime.now(UTC)
    if cert.not_valid_after_utc <= now:
        raise SigningError(
            f"The certificate expired on {cert.not_valid_after_utc:%m/%d/%Y}."
        )
    if cert.not_valid_before_utc > now:
        raise SigningError(
            f"The certificate is valid only from {cert.not_valid_before_utc:%m/%d/%Y}."
        )


def _same_key(key: PrivateKeyTypes, cert: x509.Certificate) -> bool:
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return bool(
        key.public_key().public_bytes(_DER, spki)
        == cert.public_key().public_bytes(_DER, spki)
    )


def _ordered_chain(
    leaf: x509.Certificate, others: list[x509.Certificate]
) -> list[x509.Certificate]:
    """The other certificates from the leaf's issuer upwards, unrelated ones last."""
    remaining = [c for c in others if c != leaf]
    ordered: list[x509.Certificate] = []
    current = leaf
    while True:
        issuer = next((c for c in remaining if _issued_by(current, c)), None)
        if issuer is None or _issued_by(current, current):
            break
        ordered.append(issuer)
        remaining.remove(issuer)
        current = issuer
    return ordered + remaining


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
