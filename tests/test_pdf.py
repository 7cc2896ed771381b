"""The prescription PDF: one page of real text carrying everything a payer checks."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from extensions import codeset
from rxassist.icd import IcdIndex
from rxassist.prescription import Prescription, from_record, validate
from rxassist.schema import MAX_GOALS
from services.rendering import prescription_html, prescription_pdf
from tests.helpers import app_config, document, pdf_pages, pdf_text


def _rx(icd: IcdIndex, **overrides: Any) -> Prescription:
    rx, errors = validate(document(number="RX-20261123-TEST42", **overrides), icd=icd)
    assert errors == {}
    assert rx is not None
    return rx


# Every goal at its limits: the longest goals a prescription can print.
LONGEST_GOALS = [
    {
        "function": f"{i} Restore full range of motion of the neck and shoulders".ljust(
            80, "x"
        ),
        "baseline": "b" * 26 + " 45°",
        "target": "t" * 26 + " 70°",
    }
    for i in range(MAX_GOALS)
]


@pytest.fixture
def example_pdf(app: Flask, icd: IcdIndex) -> bytes:
    with app.test_request_context():
        return prescription_pdf(_rx(icd))


def test_pdf_is_one_page(example_pdf: bytes) -> None:
    assert example_pdf.startswith(b"%PDF")
    assert len(pdf_pages(example_pdf)) == 1


@pytest.mark.parametrize(
    "expected",
    [
        # letterhead
        "Lakeside Family Medicine", "12 Main St, Sarasota, FL 34236",
        "941-555-0100", "941-555-0101",
        "Prescription for manual therapy",
        "Date written 11/23/2026",
        # patient and coverage
        "Jane Doe", "04/12/1980", "Workers' Compensation: Acme Mutual", "XJ-5521",
        "WC-2026-0042", "10/03/2026",
        # the order
        "97140", "Manual therapy techniques", "Myofascial release, Neuromuscular therapy",
        "Cervical spine (neck); Shoulder, left", "Light",
        # diagnoses, primary first
        "1 S13.4XXA Sprain of ligaments of cervical spine, initial encounter (primary)",
        "2 M54.2 Cervicalgia", "3 M62.838 Other muscle spasm",
        # session and plan
        "60 minutes (4 units)",
        "3x/week for 1 week, then 2x/week for 1 week, then 1x/week for 6 weeks",
        "Total visits 11", "11/24/2026 to 01/18/2027", "Re-evaluate by 12/24/2026",
        # goals, precautions, necessity
        "Cervical rotation 45° → 70°; Neck pain 7/10 → 3/10; "
        "Sitting tolerance 20 minutes → 60 minutes",
        "anticoagulant therapy: light pressure only",
        "Manual therapy (CPT 97140) is medically necessary to treat S13.4XXA",
        "which limit cervical rotation (45°), neck pain (7/10) and sitting "
        "tolerance (20 minutes); the goals are 70°, 3/10 and 60 minutes.",
        # signature block and footer
        "Prescriber signature", "Date", "Maria Lopez, MD", "NPI 1234567893",
        "License FL ME123456", "Prescription RX-20261123-TEST42", "ICD-10-CM FY2026",
        # who performs it, and the Workers' Compensation claim
        "To be performed by: Licensed massage therapist (LMT)",
        "Employer Gulf Coast Builders", "Jurisdiction state FL",
    ],
)  # fmt: skip
def test_pdf_carries_every_item_payers_check(example_pdf: bytes, expected: str) -> None:
    assert expected in pdf_text(example_pdf)


def test_pdf_diagnoses_keep_their_order(example_pdf: bytes) -> None:
    text = pdf_text(example_pdf)
    assert text.index("S13.4XXA") < text.index("M54.2") < text.index("M62.838")


def test_pdf_prints_accented_and_non_latin_names(app: Flask, icd: IcdIndex) -> None:
    name = "Zoë Ñúñez-Łukasiewicz Ångström"
    rx = _rx(icd, patient={"name": name, "dob": "1980-04-12"})
    with app.test_request_context():
        text = pdf_text(prescription_pdf(rx))
    assert name in text


def test_pdf_shows_html_in_fields_as_text_and_loads_nothing(
    app: Flask, icd: IcdIndex
) -> None:
    hostile = '<iframe src="file:///etc/passwd"></iframe><b>Bold</b>'
    rx = _rx(
        icd,
        patient={
            "name": "<script>document.write('pwned')</script>",
            "dob": "1980-04-12",
        },
        goals=[{"function": hostile, "baseline": "1", "target": "2"}],
    )
    with app.test_request_context():
        html = prescription_html(rx, standalone=True)
        text = pdf_text(prescription_pdf(rx))
    assert "<iframe" not in html and "&lt;iframe" in html
    assert "<script>document" not in html
    # Long unbroken strings wrap inside their table cell: compare without spaces.
    flat = text.replace(" ", "")
    assert "<script>document.write('pwned')</script>" in flat
    assert '<iframesrc="file:///etc/passwd"></iframe><b>Bold</b>' in flat
    assert "root:x:0:0" not in text


def test_pdf_html_names_no_external_resource(app: Flask, icd: IcdIndex) -> None:
    with app.test_request_context():
        html = prescription_html(_rx(icd), standalone=True)
    assert "src=" not in html
    assert "href=" not in html
    assert "url(" not in html


def test_pdf_with_twelve_diagnoses_and_long_fields_stays_on_one_page(
    app: Flask, icd: IcdIndex
) -> None:
    codes = [
        "S13.4XXA", "M54.2", "M62.838", "M79.10", "M54.50", "M54.6",
        "M25.511", "M25.512", "G44.209", "M62.830", "M79.7", "M54.12",
    ]  # fmt: skip
    rx = _rx(
        icd,
        diagnoses=codes,
        body_areas=[
            {"area": a, "side": "bilateral"}
            for a in (
                "shoulder",
                "upper_arm",
                "elbow_forearm",
                "wrist_hand",
                "hip_gluteal",
            )
        ]
        + [{"area": "cervical"}, {"area": "thoracic"}, {"area": "lumbar"}],
        modality={
            "cpt": ["97140", "97124"],
            "techniques": [
                "myofascial release",
                "neuromuscular therapy",
                "manual lymphatic drainage",
                "trigger point therapy",
                "soft-tissue mobilization",
                "effleurage",
                "petrissage",
                "tapotement",
            ],
            "pressure": "moderate",
            "performer": "physician",
        },  # fmt: skip
        coverage=dict(
            document()["coverage"],
            employer="E" * 100,
            policy_number="P" * 40,
            payer_name="N" * 100,
        ),
        session={"minutes_by_cpt": {"97140": 40, "97124": 20}},
        goals=LONGEST_GOALS,
        precautions=[
            "Anticoagulant therapy: light pressure only",
            "Post-operative: cleared for massage from 12/01/2026",
            "Lymphedema risk: manual lymphatic drainage by a certified therapist only",
        ],
    )
    with app.test_request_context():
        pages = pdf_pages(prescription_pdf(rx))
    assert len(pages) == 1
    assert "M54.12" in pages[0]
    assert "are medically necessary to treat S13.4XXA" in pages[0]
    assert "CPT 97124 20 minutes (1 unit)" in pages[0]
    assert "ICD-10-CM FY2026" in pages[0]


def test_pdf_page_size_follows_configuration(tmp_path: Path, icd: IcdIndex) -> None:
    from app import create_app

    sizes = {}
    for size in ("Letter", "A4"):
        app = create_app(
            app_config(tmp_path, RX_PAGE_SIZE=size, SQLALCHEMY_DATABASE_URI="sqlite://")
        )
        codeset.pin(app, icd)
        with app.test_request_context():
            data = prescription_pdf(_rx(icd))
        from io import BytesIO

        from pypdf import PdfReader

        box = PdfReader(BytesIO(data)).pages[0].mediabox
        sizes[size] = (round(float(box.width)), round(float(box.height)))
    assert sizes["Letter"] == (612, 792)
    assert sizes["A4"] == (595, 842)


def test_pdf_with_every_field_at_its_limit_stays_on_one_page(
    app: Flask, icd: IcdIndex
) -> None:
    from rxassist.modalities import BODY_AREAS

    codes = [
        "S13.4XXA", "M54.2", "M62.838", "M79.10", "M54.50", "M54.6",
        "M25.511", "M25.512", "G44.209", "M62.830", "M79.7", "M54.12",
    ]  # fmt: skip
    areas = [
        {"area": key, "side": "bilateral"} if area.sided else {"area": key}
        for key, area in BODY_AREAS.items()
    ]
    rx = _rx(
        icd,
        patient={"name": "N" * 100, "dob": "1980-04-12", "address": "A" * 200},
        diagnoses=codes,
        body_areas=areas,
        goals=LONGEST_GOALS,
        precautions=[f"{i} " + "Long precaution text. " * 9 for i in range(8)],
    )
    with app.test_request_context():
        pages = pdf_pages(prescription_pdf(rx))
    assert len(pages) == 1
    assert "Prescription RX-20261123-TEST42" in pages[0]


def test_pdf_engine_never_reads_a_local_file() -> None:
    from rxassist.pdf import SAFE_OPTIONS, PdfEngineError, render_pdf

    assert "disable-local-file-access" in SAFE_OPTIONS
    assert "disable-javascript" in SAFE_OPTIONS
    html = '<html><body>x<iframe src="file:///etc/passwd"></iframe></body></html>'
    try:
        data = render_pdf(html)
    except PdfEngineError:
        return  # refusing the whole document is as safe as leaving the file out
    assert "root:" not in pdf_text(data)


def test_pdf_prints_structured_precautions_as_sentences(
    app: Flask, icd: IcdIndex
) -> None:
    rx = _rx(
        icd,
        precautions=[
            {"kind": "postop", "cleared_on": "2026-11-20"},
            {"kind": "lymphedema"},
            "anticoagulant therapy: light pressure only",
        ],
    )
    with app.test_request_context():
        text = pdf_text(prescription_pdf(rx))
    assert "Post-operative: cleared for massage from 11/20/2026" in text
    assert "Lymphedema risk: manual lymphatic drainage by a certified therapist" in text
    assert "anticoagulant therapy: light pressure only" in text


HEALTH_PLAN = {
    "payer_type": "medicare", "payer_name": "Medicare", "member_id": "1EG4-TE5-MK72",
    "onset_date": "2026-10-01", "related_to": "other_accident",
}  # fmt: skip
AUTO = {
    "payer_type": "auto_pip", "payer_name": "Geico", "claim_number": "PIP-77",
    "policy_number": "AP-123", "date_of_injury": "2026-11-20", "accident_state": "FL",
    "emergency_medical_condition": "yes",
}  # fmt: skip


@pytest.mark.parametrize(
    ("coverage", "printed", "absent"),
    [
        (HEALTH_PLAN,
         ["Member ID 1EG4-TE5-MK72", "Onset date 10/01/2026", "Related to Other accident"],
         ["Claim number", "Employer", "Emergency medical condition"]),
        (AUTO,
         ["Claim number PIP-77", "Policy number AP-123", "Accident state FL",
          "Emergency medical condition Yes"],
         ["Member ID", "Onset date", "Employer"]),
        (document()["coverage"],
         ["Claim number WC-2026-0042", "Employer Gulf Coast Builders",
          "Jurisdiction state FL"],
         ["Onset date", "Emergency medical condition", "Policy number"]),
    ],
)  # fmt: skip
def test_pdf_prints_the_fields_of_its_payer_type(
    app: Flask, icd: IcdIndex, coverage: dict[str, str], printed: list[str],
    absent: list[str],
) -> None:  # fmt: skip
    with app.test_request_context():
        text = pdf_text(prescription_pdf(_rx(icd, coverage=coverage)))
    for words in printed:
        assert words in text
    for words in absent:
        assert words not in text


def test_pdf_of_a_record_signed_before_the_added_fields_prints_as_before(
    app: Flask, icd: IcdIndex
) -> None:
    old = _rx(icd).to_document()
    del old["modality"]["performer"], old["prescriber"]["license_state"]
    del old["coverage"]["employer"], old["coverage"]["jurisdiction_state"]
    with app.test_request_context():
        text = pdf_text(prescription_pdf(from_record(old)))
    assert "NPI 1234567893 · License ME123456" in text
    assert "To be performed by" not in text
    assert "Employer" not in text
    assert "Claim number WC-2026-0042" in text


def test_pdf_prints_each_codes_minutes_and_units_and_every_reevaluation(
    app: Flask, icd: IcdIndex
) -> None:
    rx = _rx(
        icd,
        modality={
            "cpt": ["97140", "97124"],
            "techniques": ["myofascial release", "effleurage"],
            "pressure": "light",
            "performer": "pt",
        },
        session={"minutes_by_cpt": {"97140": 40, "97124": 20}},
        plan={"start": "2026-11-24", "phases": [{"per_week": 2, "weeks": 12}]},
    )
    rx = replace(rx, plan=rx.plan.scheduled(6, 30))
    with app.test_request_context():
        text = pdf_text(prescription_pdf(rx))
    assert "Prescription for manual therapy and massage therapy" in text
    assert (
        "60 minutes (4 units): CPT 97140 40 minutes (3 units), "
        "CPT 97124 20 minutes (1 unit)"
    ) in text
    # 2x/week: the 6th visit of each stretch comes before 30 days have passed.
    assert "Re-evaluate by 12/11/2026, 01/01/2027, 01/22/2027, 02/12/2027" in text


def test_pdf_says_1_visit_in_the_singular(app: Flask, icd: IcdIndex) -> None:
    rx = _rx(icd, plan={"start": "2026-11-24", "visits": 1, "weeks": 1})
    with app.test_request_context():
        text = pdf_text(prescription_pdf(rx))
    assert "1 visit over 1 week" in text
    assert "1 visits" not in text and "1 weeks" not in text


def test_pdf_of_a_record_with_free_text_goals_prints_as_signed(
    app: Flask, icd: IcdIndex
) -> None:
    legacy = "Reduce neck pain; restore cervical rotation; reduce pain medication."
    signed, _ = validate(
        document(number="RX-20261123-OLD001", goals=legacy), icd=icd, recorded=True
    )
    assert signed is not None
    with app.test_request_context():
        text = pdf_text(prescription_pdf(from_record(signed.to_document())))
    assert "Prescription: Medical Massage Therapy" in text
    assert legacy in text
    assert "Massage therapy is medically necessary for the diagnoses above." in text
    assert "Re-evaluate by 12/24/2026" in text


def test_pdf_with_every_field_at_its_limit_and_a_signature_image_stays_on_one_page(
    app: Flask, icd: IcdIndex
) -> None:
    from PIL import Image

    from rxassist.signature_image import BOX, to_svg
    from services.rendering import verification

    codes = [
        "S13.4XXA", "M54.2", "M62.838", "M79.10", "M54.50", "M54.6",
        "M25.511", "M25.512", "G44.209", "M62.830", "M79.7", "M54.12",
    ]  # fmt: skip
    rx = _rx(
        icd,
        patient={"name": "N" * 100, "dob": "1980-04-12", "address": "A" * 200},
        diagnoses=codes,
        goals=LONGEST_GOALS,
        precautions=[f"{i} " + "Long precaution text. " * 9 for i in range(8)],
    )
    # The tallest image the box allows: every pixel ink.
    out = BytesIO()
    Image.new("LA", BOX, (0, 255)).save(out, format="PNG")
    signature = {
        "statement": "Electronically signed by Maria Lopez, MD",
        "date": "11/23/2026",
        "image_svg": to_svg(out.getvalue()),
    }
    with app.test_request_context():
        pages = pdf_pages(
            prescription_pdf(
                rx, signature=signature, verification=verification("t" * 22)
            )
        )
    assert len(pages) == 1
    assert "Electronically signed by Maria Lopez, MD" in pages[0]


def test_pdf_uses_the_configured_engine_and_no_other(
    tmp_path: Path, icd: IcdIndex
) -> None:
    from app import create_app
    from rxassist.pdf import PdfEngineError

    used = tmp_path / "used"
    engine = tmp_path / "wk"
    engine.write_text(f'#!/bin/sh\necho "$@" >> {used}\nexec wkhtmltopdf "$@"\n')
    engine.chmod(0o755)
    app = create_app(app_config(tmp_path, WKHTMLTOPDF=str(engine)))
    with app.test_request_context():
        assert pdf_text(prescription_pdf(_rx(icd))).count("Jane Doe") >= 1
    assert used.exists()
    missing = create_app(app_config(tmp_path, WKHTMLTOPDF=str(tmp_path / "none")))
    with missing.test_request_context(), pytest.raises(PdfEngineError):
        prescription_pdf(_rx(icd))
