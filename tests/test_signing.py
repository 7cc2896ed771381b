"""PAdES signatures: each practice's certificate, signing, verifying, and the CLI."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from flask import Flask
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

import models
from extensions import db
from services import signing

PDF = (Path(__file__).parent / "data" / "prescription.pdf").read_bytes()
PRACTICE = "Lakeside Family Medicine"
P12_PASSWORD = "p12 password"
_DER = serialization.Encoding.DER


def _practice(name: str = PRACTICE) -> models.Practice:
    practice = models.Practice(name=name)
    db.session.add(practice)
    db.session.commit()
    return practice


def _sign(practice: models.Practice | None) -> bytes:
    return signing.sign_pdf(
        PDF, practice, reason="Prescription", signer_name="Maria Lopez, MD"
    )


def _cli(app: Flask, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(
        args=["admin", "signing-cert", *args], input=stdin
    )
    return result.exit_code, result.output


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_issued_p12(
    folder: Path, *, valid_days: int = 365, with_key: bool = True
) -> tuple[Path, str]:
    """A .p12 with a leaf issued by a tiny CA (chain included); and the leaf's hash."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Document CA"))
        .issuer_name(_name("Test Document CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(PRACTICE))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=10 + max(0, -valid_days)))
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        b"leaf",
        key if with_key else None,
        leaf,
        [ca],
        serialization.BestAvailableEncryption(P12_PASSWORD.encode()),
    )
    path = folder / "practice.p12"
    path.write_bytes(data)
    return path, leaf.fingerprint(hashes.SHA256()).hex()


def test_certificate_for_a_fresh_practice_is_self_signed_and_names_it(
    app: Flask,
) -> None:
    with app.app_context():
        practice = _practice()
        first = signing.certificate_for(practice)
        again = signing.certificate_for(practice)
        assert again.id == first.id
        assert first.self_signed and first.active
        assert first.practice_id == practice.id
        cert = x509.load_pem_x509_certificate(first.chain_pem.encode())
        assert cert.subject == x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, PRACTICE),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, PRACTICE),
            ]
        )
        assert cert.issuer == cert.subject
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature and usage.content_commitment
        assert cert.fingerprint(hashes.SHA256()).hex() == first.fingerprint_sha256
        assert cert.not_valid_after_utc - cert.not_valid_before_utc > timedelta(
            days=3600
        )
        assert b"PRIVATE KEY" not in first.key_encrypted
        with pytest.raises(TypeError):
            serialization.load_der_private_key(first.key_encrypted, password=None)


def test_certificate_for_two_first_uses_at_once_leaves_one_active(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        practice_id = _practice().id
    both_looked = threading.Barrier(2, timeout=60)
    make = signing._self_signed

    def slow_make(practice: models.Practice | None) -> models.SigningCertificate:
        both_looked.wait()
        return make(practice)

    monkeypatch.setattr(signing, "_self_signed", slow_make)
    found: list[str] = []

    def first_use() -> None:
        with app.app_context():
            practice = db.session.get(models.Practice, practice_id)
            found.append(signing.certificate_for(practice).fingerprint_sha256)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 2 and found[0] == found[1]
    with app.app_context():
        rows = db.session.scalars(select(models.SigningCertificate)).all()
        assert [r.fingerprint_sha256 for r in rows if r.active] == [found[0]]


def test_sign_pdf_validates_with_pyhanko_against_the_practice_certificate(
    app: Flask,
) -> None:
    with app.app_context():
        practice = _practice()
        started = time.perf_counter()
        record = signing.certificate_for(practice)
        made = time.perf_counter() - started
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            signed = _sign(practice)
            timings.append(time.perf_counter() - started)
        print(
            f"\nfirst-use certificate (RSA 3072): {made:.3f} s; sign_pdf on the "
            f"one-page prescription PDF: {', '.join(f'{t:.3f}' for t in timings)} s"
        )
        trusted = x509.load_pem_x509_certificate(record.chain_pem.encode())
        context = ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(trusted.public_bytes(_DER))],
            allow_fetching=False,
        )
        reader = PdfFileReader(BytesIO(signed))
        (embedded,) = reader.embedded_signatures
        # (Outside the browser tests' asyncio loop, which pyHanko cannot nest in.)
        status = signing.outside_event_loop(validate_pdf_signature, embedded, context)
        assert status.intact and status.valid and status.trusted
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
        assert embedded.sig_object["/Reason"] == "Prescription"
        assert embedded.sig_object["/Name"] == "Maria Lopez, MD"
        assert status.signing_cert.sha256.hex() == record.fingerprint_sha256
        assert signed.startswith(PDF)  # an incremental update of the rendered file

        verified = signing.verify_pdf(signed)
        assert verified.valid and verified.reason == ""
        assert verified.signer_fingerprint == record.fingerprint_sha256
        assert verified.signer_subject == record.subject
        assert verified.signed_at is not None


def test_verify_pdf_reports_a_changed_byte_as_not_intact(app: Flask) -> None:
    with app.app_context():
        signed = bytearray(_sign(_practice()))
        # A byte of the rendered page, well inside the first signed range.
        signed[len(PDF) // 2] ^= 0x01
        verified = signing.verify_pdf(bytes(signed))
        assert verified.signed and not verified.intact and not verified.valid
        assert "changed" in verified.reason


def test_verify_pdf_reports_bytes_appended_after_the_signature(app: Flask) -> None:
    with app.app_context():
        verified = signing.verify_pdf(_sign(_practice()) + b"\n% appended\n")
        assert verified.signed and verified.intact
        assert not verified.covers_whole_document and not verified.valid


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a readable PDF"),
        (b"GIF89a not a pdf at all", "not a readable PDF"),
        (PDF, "no digital signature"),
        (PDF[:4000], "not a readable PDF"),
    ],
)
def test_verify_pdf_answers_unsigned_for_garbage(
    app: Flask, data: bytes, reason: str
) -> None:
    with app.app_context():
        verified = signing.verify_pdf(data)
        assert not verified.signed and not verified.valid
        assert reason in verified.reason


def test_verify_pdf_answers_unsigned_for_a_truncated_signed_file(app: Flask) -> None:
    with app.app_context():
        signed = _sign(_practice())
        verified = signing.verify_pdf(signed[: len(signed) - 200])
        assert not verified.valid and verified.reason


def test_sign_pdf_refuses_what_is_not_a_pdf(app: Flask) -> None:
    with app.app_context(), pytest.raises(signing.SigningError, match="Not a PDF"):
        signing.sign_pdf(b"<html>", _practice(), reason="Rx", signer_name="M")


def test_sign_pdf_with_another_secret_says_the_key_cannot_be_opened(
    app: Flask,
) -> None:
    app.config["RX_SIGNING_SECRET"] = "the secret it was stored with"
    with app.app_context():
        practice = _practice()
        assert signing.verify_pdf(_sign(practice)).valid
        app.config["RX_SIGNING_SECRET"] = "another secret"
        with pytest.raises(signing.SigningError) as error:
            _sign(practice)
        assert str(error.value).startswith(
            "The signing certificate's key cannot be opened: RX_SIGNING_SECRET "
            "changed or is missing"
        )
        app.config["RX_SIGNING_SECRET"] = None  # falls back to SECRET_KEY: also wrong
        with pytest.raises(signing.SigningError, match="cannot be opened"):
            _sign(practice)


def test_sign_pdf_names_a_corrupt_stored_certificate(app: Flask) -> None:
    with app.app_context():
        practice = _practice()
        record = signing.certificate_for(practice)
        pem = record.chain_pem
        record.chain_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n"
        db.session.commit()
        with pytest.raises(signing.SigningError, match="is corrupt"):
            _sign(practice)
        record.chain_pem, record.key_encrypted = pem, b"\x00garbage"
        db.session.commit()
        with pytest.raises(signing.SigningError, match="key of signing certificate"):
            _sign(practice)


def test_installation_certificate_signs_for_physicians_without_practice(
    app: Flask,
) -> None:
    with app.app_context():
        record = signing.certificate_for(None)
        assert record.practice_id is None and "CN=Rx Assist" in record.subject
        verified = signing.verify_pdf(_sign(None))
        assert (
            verified.valid and verified.signer_fingerprint == record.fingerprint_sha256
        )


def test_import_installs_a_ca_issued_certificate_that_then_signs(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        practice = _practice()
        signed_before = _sign(practice)
        self_signed = signing.certificate_for(practice).fingerprint_sha256
    path, leaf = _ca_issued_p12(tmp_path)
    code, out = _cli(app, "import", str(path), "--practice", PRACTICE,
                     stdin=P12_PASSWORD + "\n")  # fmt: skip
    assert code == 0, out
    assert f"Installed CN={PRACTICE}" in out
    with app.app_context():
        practice = db.session.scalars(select(models.Practice)).one()
        record = signing.certificate_for(practice)
        assert record.fingerprint_sha256 == leaf and not record.self_signed
        assert len(x509.load_pem_x509_certificates(record.chain_pem.encode())) == 2
        verified = signing.verify_pdf(_sign(practice))
        assert verified.valid and verified.signer_fingerprint == leaf
        # The replaced certificate is kept: PDFs it signed still verify.
        older = signing.verify_pdf(signed_before)
        assert older.valid and older.signer_fingerprint == self_signed
        events = db.session.scalars(select(models.AuditEvent)).all()
        assert [(e.action, e.ip) for e in events] == [
            ("signing certificate imported", "cli")
        ]
        assert leaf in events[0].detail
    code, out = _cli(app, "show", "--practice", str(practice.id))
    assert code == 0, out
    assert leaf in out and "CN=Test Document CA" in out and "key opens:   yes" in out


@pytest.mark.parametrize(
    ("make", "password", "message"),
    [
        ("garbage", P12_PASSWORD, "not a PKCS#12"),
        ("valid", "wrong password", "Wrong password"),
        ("expired", P12_PASSWORD, "expired on"),
        ("without key", P12_PASSWORD, "no private key"),
    ],
)
def test_import_refuses_a_bad_p12_with_a_one_line_message(
    app: Flask, tmp_path: Path, make: str, password: str, message: str
) -> None:
    with app.app_context():
        _practice()
    if make == "garbage":
        path = tmp_path / "garbage.p12"
        path.write_bytes(b"\x30\x03not pkcs12 at all")
    else:
        path, _ = _ca_issued_p12(
            tmp_path,
            valid_days=-1 if make == "expired" else 365,
            with_key=make != "without key",
        )
    code, out = _cli(app, "import", str(path), "--practice", PRACTICE,
                     "--password", password)  # fmt: skip
    assert code == 1
    assert message in out and out.count("\n") == 1
    with app.app_context():
        assert db.session.scalars(select(models.SigningCertificate)).all() == []


def test_import_refuses_a_missing_file_and_an_unknown_practice(
    app: Flask, tmp_path: Path
) -> None:
    with app.app_context():
        _practice()
    code, out = _cli(app, "import", str(tmp_path / "none.p12"), "--practice",
                     PRACTICE, "--password", "x")  # fmt: skip
    assert code == 1 and "cannot read" in out
    path, _ = _ca_issued_p12(tmp_path)
    code, out = _cli(app, "import", str(path), "--practice", "Nowhere",
                     "--password", P12_PASSWORD)  # fmt: skip
    assert code == 1 and "No practice 'Nowhere'" in out
    code, out = _cli(app, "import", str(path), "--password", P12_PASSWORD)
    assert code == 1 and "--practice ID_OR_NAME or --installation" in out


def test_show_prints_the_self_signed_certificate_and_whether_the_secret_opens_it(
    app: Flask,
) -> None:
    code, out = _cli(app, "show")
    assert code == 0 and "No certificate for the installation yet" in out
    with app.app_context():
        fingerprint = signing.certificate_for(_practice()).fingerprint_sha256
    code, out = _cli(app, "show", "--practice", PRACTICE)
    assert code == 0, out
    assert f"sha-256:     {fingerprint}" in out
    assert "(self-signed)" in out and f"issuer:      O={PRACTICE},CN={PRACTICE}" in out
    app.config["RX_SIGNING_SECRET"] = "not the one"
    code, out = _cli(app, "show", "--practice", PRACTICE)
    assert code == 1
    assert "key opens:   no" in out and "cannot be opened" in out


def test_import_with_installation_replaces_the_installation_certificate(
    app: Flask, tmp_path: Path
) -> None:
    path, leaf = _ca_issued_p12(tmp_path)
    code, out = _cli(app, "import", str(path), "--installation",
                     "--password", P12_PASSWORD)  # fmt: skip
    assert code == 0, out
    with app.app_context():
        assert signing.certificate_for(None).fingerprint_sha256 == leaf
    code, out = _cli(app, "show")
    assert code == 0 and leaf in out and "issued by a certificate authority" in out
