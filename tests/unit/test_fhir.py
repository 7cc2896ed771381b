"""The FHIR R4 export, checked against the R4B models of the fhir.resources package."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from rxassist import fhir
from rxassist.icd import IcdIndex
from rxassist.prescription import validate
from tests.helpers import document

NUMBER = "RX-20261123-7K3QZD"
RX_ID = "0f3c9a5e8d7b4a61b2c3d4e5f6a7b8c9"
BASE_URL = f"https://rx.example.org/api/v1/prescriptions/{RX_ID}"
ASSEMBLED = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)

# Required bindings that the fhir.resources models do not check.
REQUIRED_CODES = {
    ("Bundle", "type"): {"collection"},
    ("ServiceRequest", "status"): fhir.REQUEST_STATUSES,
    ("ServiceRequest", "intent"): {"order"},
    ("Coverage", "status"): {"active", "cancelled", "draft", "entered-in-error"},
}
UNITS_OF_TIME = {"s", "min", "h", "d", "wk", "mo", "a"}


def _bundle(icd: IcdIndex, **overrides: Any) -> dict[str, Any]:
    rx, errors = validate(document(**{"number": NUMBER, **overrides}), icd=icd)
    assert errors == {}
    assert rx is not None
    return fhir.bundle(
        rx, prescription_id=RX_ID, base_url=BASE_URL, timestamp=ASSEMBLED
    )


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


def _resolve(bundle: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    found = [
        e["resource"] for e in bundle["entry"] if e["fullUrl"] == reference["reference"]
    ]
    assert len(found) == 1, reference
    return found[0]


def _orders(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    return _resources(bundle, "ServiceRequest")


def test_bundle_validates_as_fhir_r4_without_losing_anything(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    parsed = Bundle.model_validate(bundle)
    assert json.loads(parsed.model_dump_json()) == bundle
    for entry in bundle["entry"]:
        resource = entry["resource"]
        model = get_fhir_model_class(resource["resourceType"])
        assert model.__module__.startswith("fhir.resources.R4B.")
        model.model_validate(resource)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "ServiceRequest",
        "ServiceRequest",
        "ServiceRequest",
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Organization",
        "Coverage",
    ]


def test_bundle_is_a_collection_identified_by_the_rx_number(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    assert bundle["type"] == "collection"
    assert bundle["identifier"] == {"system": fhir.RX_NUMBER_SYSTEM, "value": NUMBER}
    assert bundle["timestamp"] == "2026-11-23T15:30:00Z"
    assert bundle["meta"] == {"source": BASE_URL}


def test_bundle_uses_codes_from_required_value_sets(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    resources = [bundle, *(e["resource"] for e in bundle["entry"])]
    checked = 0
    for resource in resources:
        for (kind, element), codes in REQUIRED_CODES.items():
            if resource["resourceType"] == kind:
                assert resource[element] in codes, (kind, element)
                checked += 1
    assert checked == 1 + 3 * 2 + 1
    for order in _orders(bundle):
        repeat = order["occurrenceTiming"]["repeat"]
        assert {repeat["durationUnit"], repeat["periodUnit"]} <= UNITS_OF_TIME


def test_bundle_orders_one_service_request_per_phase(icd: IcdIndex) -> None:
    orders = _orders(_bundle(icd))
    assert len(orders) == 3
    assert {json.dumps(o["requisition"]) for o in orders} == {
        json.dumps({"system": "urn:rxassist:prescription", "value": NUMBER})
    }
    repeats = [o["occurrenceTiming"]["repeat"] for o in orders]
    assert [r["frequency"] for r in repeats] == [3, 2, 1]
    assert {(r["period"], r["periodUnit"]) for r in repeats} == {(1, "wk")}
    assert {(r["duration"], r["durationUnit"]) for r in repeats} == {(60, "min")}
    assert [
        (r["boundsPeriod"]["start"], r["boundsPeriod"]["end"]) for r in repeats
    ] == [
        ("2026-11-24", "2026-11-30"),
        ("2026-12-01", "2026-12-07"),
        ("2026-12-08", "2027-01-18"),
    ]
    visits = [o["quantityQuantity"]["value"] for o in orders]
    assert visits == [3, 2, 6]
    assert sum(visits) == 11
    assert {o["quantityQuantity"]["unit"] for o in orders} == {"visit"}
    assert [o["occurrenceTiming"]["code"]["text"] for o in orders] == [
        "3x/week for 1 week",
        "2x/week for 1 week",
        "1x/week for 6 weeks",
    ]


def test_bundle_orders_are_intent_order_with_the_callers_status(
    icd: IcdIndex,
) -> None:
    rx, _ = validate(document(number=NUMBER), icd=icd)
    assert rx is not None
    revoked = fhir.bundle(
        rx, prescription_id=RX_ID, base_url=BASE_URL, status="revoked"
    )
    assert {(o["status"], o["intent"]) for o in _orders(revoked)} == {
        ("revoked", "order")
    }
    assert {o["status"] for o in _orders(_bundle(icd))} == {"active"}


@pytest.mark.parametrize("status", ["final", "superseded", "void", ""])
def test_bundle_rejects_a_status_fhir_does_not_know(icd: IcdIndex, status: str) -> None:
    rx, _ = validate(document(), icd=icd)
    assert rx is not None
    with pytest.raises(ValueError, match="FHIR request status"):
        fhir.bundle(rx, prescription_id=RX_ID, base_url=BASE_URL, status=status)


def test_bundle_codes_the_service_with_cpt_and_its_techniques(icd: IcdIndex) -> None:
    order = _orders(_bundle(icd))[0]
    assert order["code"]["coding"] == [
        {
            "system": "http://www.ama-assn.org/go/cpt",
            "code": "97140",
            "display": "Manual therapy techniques",
        }
    ]
    assert "myofascial release, neuromuscular therapy" in order["code"]["text"]
    assert [d["text"] for d in order["orderDetail"]] == [
        "myofascial release",
        "neuromuscular therapy",
        "Light pressure",
    ]


def test_bundle_codes_one_cpt_coding_per_code_ordered(icd: IcdIndex) -> None:
    modality = {
        "cpt": ["97140", "97124"],
        "techniques": ["myofascial release", "effleurage"],
        "pressure": "moderate",
        "performer": "lmt",
    }
    session = {"minutes_by_cpt": {"97140": 40, "97124": 20}}
    order = _orders(_bundle(icd, modality=modality, session=session))[0]
    assert [c["code"] for c in order["code"]["coding"]] == ["97140", "97124"]
    assert "Massage therapy (CPT 97124): effleurage" in order["code"]["text"]


def test_bundle_gives_the_diagnoses_in_order_as_icd10cm(icd: IcdIndex) -> None:
    for order in _orders(_bundle(icd)):
        codings = [reason["coding"][0] for reason in order["reasonCode"]]
        assert [c["code"] for c in codings] == ["S13.4XXA", "M54.2", "M62.838"]
        assert {c["system"] for c in codings} == {"http://hl7.org/fhir/sid/icd-10-cm"}
        assert codings[1]["display"] == "Cervicalgia"


def test_bundle_names_the_body_areas(icd: IcdIndex) -> None:
    for order in _orders(_bundle(icd)):
        assert [site["text"] for site in order["bodySite"]] == [
            "Cervical spine (neck)",
            "Shoulder, left",
        ]


def test_bundle_requester_is_the_practitioner_with_npi(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    for order in _orders(bundle):
        practitioner = _resolve(bundle, order["requester"])
        assert practitioner["resourceType"] == "Practitioner"
        assert practitioner["identifier"] == [
            {"system": "http://hl7.org/fhir/sid/us-npi", "value": "1234567893"}
        ]
    assert practitioner["name"][0]["text"] == "Maria Lopez"
    assert practitioner["qualification"][0]["code"]["text"] == "MD"
    assert practitioner["qualification"][0]["identifier"][0]["value"] == "ME123456"
    assert {(t["system"], t["value"]) for t in practitioner["telecom"]} == {
        ("phone", "941-555-0100"),
        ("fax", "941-555-0101"),
    }
    role = _resources(bundle, "PractitionerRole")[0]
    assert _resolve(bundle, role["practitioner"]) is practitioner
    practice = _resolve(bundle, role["organization"])
    assert practice["name"] == "Lakeside Family Medicine"


def test_bundle_subject_is_the_patient(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    for order in _orders(bundle):
        patient = _resolve(bundle, order["subject"])
        assert patient["resourceType"] == "Patient"
        assert patient["birthDate"] == "1980-04-12"
        assert patient["name"] == [{"text": "Jane Doe"}]
        assert "telecom" not in patient


def test_bundle_patient_carries_phone_and_address_when_given(icd: IcdIndex) -> None:
    patient_in = {
        "name": "Jane Doe",
        "dob": "1980-04-12",
        "phone": "941-555-0199",
        "address": "3 Palm Ave, Sarasota, FL 34236",
    }
    patient = _resources(_bundle(icd, patient=patient_in), "Patient")[0]
    assert patient["telecom"] == [{"system": "phone", "value": "941-555-0199"}]
    assert patient["address"] == [{"text": "3 Palm Ave, Sarasota, FL 34236"}]


def test_bundle_insurance_carries_claim_number_and_date_of_injury(
    icd: IcdIndex,
) -> None:
    bundle = _bundle(icd)
    for order in _orders(bundle):
        [insurance] = order["insurance"]
        coverage = _resolve(bundle, insurance)
        assert coverage["resourceType"] == "Coverage"
    assert coverage["payor"] == [{"display": "Acme Mutual"}]
    assert coverage["type"] == {"text": "Workers' Compensation"}
    assert coverage["subscriberId"] == "XJ-5521"
    assert coverage["identifier"] == [
        {"type": {"text": "Claim number"}, "value": "WC-2026-0042"}
    ]
    assert coverage["extension"] == [
        {"url": "urn:rxassist:fhir:date-of-injury", "valueDate": "2026-10-03"}
    ]
    assert _resolve(bundle, coverage["beneficiary"])["resourceType"] == "Patient"


def test_bundle_pip_coverage_carries_the_accident_state(icd: IcdIndex) -> None:
    coverage_in = {
        "payer_type": "auto_pip",
        "payer_name": "Sunshine Auto",
        "claim_number": "PIP-77",
        "date_of_injury": "2026-09-30",
        "accident_state": "FL",
    }
    coverage = _resources(_bundle(icd, coverage=coverage_in), "Coverage")[0]
    assert coverage["extension"] == [
        {"url": fhir.DATE_OF_INJURY_URL, "valueDate": "2026-09-30"},
        {
            "url": fhir.ACCIDENT_STATE_URL,
            "valueAddress": {"state": "FL", "country": "US"},
        },
    ]


def test_bundle_commercial_payer_has_no_date_of_injury(icd: IcdIndex) -> None:
    coverage_in = {
        "payer_type": "commercial",
        "payer_name": "Florida Blue",
        "member_id": "FB123",
        "onset_date": "2026-10-01",
        "related_to": "none",
    }
    bundle = _bundle(icd, coverage=coverage_in)
    Bundle.model_validate(bundle)
    coverage = _resources(bundle, "Coverage")[0]
    assert "extension" not in coverage
    assert "identifier" not in coverage
    assert coverage["subscriberId"] == "FB123"
    assert "date-of-injury" not in json.dumps(bundle)


def test_bundle_self_pay_coverage_is_paid_by_the_patient(icd: IcdIndex) -> None:
    bundle = _bundle(icd, coverage={"payer_type": "self_pay"})
    Bundle.model_validate(bundle)
    coverage = _resources(bundle, "Coverage")[0]
    assert _resolve(bundle, coverage["payor"][0])["resourceType"] == "Patient"
    assert "subscriberId" not in coverage


def test_bundle_notes_medical_necessity_goals_and_precautions(icd: IcdIndex) -> None:
    for order in _orders(_bundle(icd)):
        assert order["authoredOn"] == "2026-11-23"
        assert [note["text"] for note in order["note"]] == [
            "Manual therapy (CPT 97140) is medically necessary to treat S13.4XXA "
            "(sprain of ligaments of cervical spine, initial encounter), M54.2 "
            "(cervicalgia) and M62.838 (other muscle spasm), which limit cervical "
            "rotation (45°), neck pain (7/10) and sitting tolerance (20 minutes); "
            "the goals are 70°, 3/10 and 60 minutes.",
            "Goals: Cervical rotation 45° → 70°; Neck pain 7/10 → 3/10; "
            "Sitting tolerance 20 minutes → 60 minutes",
            "Precaution: anticoagulant therapy: light pressure only",
        ]


def test_bundle_necessity_never_points_at_a_page_above(icd: IcdIndex) -> None:
    for order in _orders(_bundle(icd, precautions=[])):
        (necessity, goals) = [note["text"] for note in order["note"]]
        assert "above" not in necessity
        assert "S13.4XXA" in necessity and "3/10" in necessity
        assert goals.startswith("Goals: Cervical rotation 45° → 70°")


def test_bundle_visits_over_weeks_gives_one_service_request(icd: IcdIndex) -> None:
    plan = {"start": "2026-11-24", "visits": 12, "weeks": 4}
    bundle = _bundle(icd, plan=plan)
    Bundle.model_validate(bundle)
    [order] = _orders(bundle)
    assert order["quantityQuantity"]["value"] == 12
    repeat = order["occurrenceTiming"]["repeat"]
    assert (repeat["frequency"], repeat["period"], repeat["periodUnit"]) == (
        3,
        1,
        "wk",
    )
    assert repeat["boundsPeriod"] == {"start": "2026-11-24", "end": "2026-12-21"}
    assert order["requisition"]["value"] == NUMBER


def test_bundle_uneven_visits_over_weeks_keeps_the_exact_rate(icd: IcdIndex) -> None:
    plan = {"start": "2026-11-24", "visits": 10, "weeks": 4}
    [order] = _orders(_bundle(icd, plan=plan))
    repeat = order["occurrenceTiming"]["repeat"]
    assert (repeat["frequency"], repeat["period"], repeat["count"]) == (10, 4, 10)


def test_bundle_without_a_number_falls_back_to_the_record_id(icd: IcdIndex) -> None:
    rx, _ = validate(document(), icd=icd)
    assert rx is not None
    assert rx.number == ""
    bundle = fhir.bundle(rx, prescription_id=RX_ID, base_url=BASE_URL)
    Bundle.model_validate(bundle)
    assert bundle["identifier"] == {"system": fhir.RX_ID_SYSTEM, "value": RX_ID}
    assert {o["requisition"]["value"] for o in _orders(bundle)} == {RX_ID}


def test_bundle_notes_the_prescription_it_amends(icd: IcdIndex) -> None:
    order = _orders(_bundle(icd, amends="RX-20261120-AAAAAA"))[0]
    assert order["note"][-1] == {"text": "Amends prescription RX-20261120-AAAAAA."}


def test_bundle_is_json_serializable_and_deterministic(icd: IcdIndex) -> None:
    first, again = _bundle(icd), _bundle(icd)
    assert json.dumps(first) == json.dumps(again)
    urls = [e["fullUrl"] for e in first["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith("urn:uuid:") for url in urls)
    rx, _ = validate(document(number=NUMBER), icd=icd)
    assert rx is not None
    other = fhir.bundle(rx, prescription_id="another", base_url=BASE_URL)
    assert not set(urls) & {e["fullUrl"] for e in other["entry"]}


def test_bundle_timestamp_defaults_to_now_in_utc(icd: IcdIndex) -> None:
    rx, _ = validate(document(number=NUMBER), icd=icd)
    assert rx is not None
    before = datetime.now(UTC).replace(microsecond=0)
    bundle = fhir.bundle(rx, prescription_id=RX_ID, base_url=BASE_URL)
    stamp = datetime.fromisoformat(bundle["timestamp"])
    assert stamp.tzinfo is not None
    assert before <= stamp <= datetime.now(UTC)


def test_fhir_patient_carries_the_mrn_as_an_identifier(icd: IcdIndex) -> None:
    rx, errors = validate(
        document(patient={"name": "Jane Doe", "dob": "1980-04-12", "mrn": "MRN-0042"}),
        icd=icd,
    )
    assert rx is not None, errors
    built = fhir.bundle(rx, prescription_id="abc", base_url="https://rx.example/api")
    patient = next(
        e["resource"]
        for e in built["entry"]
        if e["resource"]["resourceType"] == "Patient"
    )
    assert patient["identifier"][0]["value"] == "MRN-0042"
    assert patient["identifier"][0]["type"]["coding"][0]["code"] == "MR"
    Bundle.model_validate(built)


def test_bundle_names_who_performs_the_order(icd: IcdIndex) -> None:
    modality = dict(document()["modality"], performer="pt")
    for order in _orders(_bundle(icd, modality=modality)):
        assert order["performerType"] == {"text": "Physical therapist (PT)"}


def test_bundle_practitioner_license_names_its_state(icd: IcdIndex) -> None:
    bundle = _bundle(icd)
    Bundle.model_validate(bundle)
    practitioner = _resources(bundle, "Practitioner")[0]
    qualification = practitioner["qualification"][0]
    assert qualification["identifier"][0]["value"] == "ME123456"
    assert qualification["issuer"] == {"display": "Florida (FL)"}
