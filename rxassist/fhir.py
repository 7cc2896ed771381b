"""A prescription as a FHIR R4 Bundle of ServiceRequests, as plain JSON-shaped dicts.

Every resource gets a ``urn:uuid`` fullUrl derived from the prescription id and its
role, so exporting the same prescription twice gives the same references.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from rxassist.coverage import US_STATES
from rxassist.lifecycle import FHIR_REQUEST_STATUSES
from rxassist.plan import Stretch
from rxassist.prescription import Prescription

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
ICD10CM_SYSTEM = "http://hl7.org/fhir/sid/icd-10-cm"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
UCUM_SYSTEM = "http://unitsofmeasure.org"
RX_NUMBER_SYSTEM = "urn:rxassist:prescription"
# Used only when the prescription has no number yet (it was never finalized).
RX_ID_SYSTEM = "urn:rxassist:prescription-id"
# Coverage extensions for injury claims; R4 Coverage has no element for either.
DATE_OF_INJURY_URL = "urn:rxassist:fhir:date-of-injury"
ACCIDENT_STATE_URL = "urn:rxassist:fhir:accident-state"
CLAIM_NUMBER_TYPE = "Claim number"
REQUEST_STATUSES = FHIR_REQUEST_STATUSES

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:rxassist:fhir")


def bundle(
    rx: Prescription,
    *,
    prescription_id: str,
    base_url: str,
    status: str = "active",
    timestamp: datetime | None = None,
) -> dict[str, Any]:
    """Return the prescription as a FHIR R4 collection Bundle (one order per phase)."""
    if status not in REQUEST_STATUSES:
        raise ValueError(f"not a FHIR request status: {status!r}")

    def url(role: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{prescription_id}/{role}')}"

    # meta.source records where each resource came from: the prescription's URL.
    meta = {"source": base_url}
    requisition = (
        {"system": RX_NUMBER_SYSTEM, "value": rx.number}
        if rx.number
        else {"system": RX_ID_SYSTEM, "value": prescription_id}
    )
    patient, practitioner = url("patient"), url("practitioner")
    organization, coverage = url("organization"), url("coverage")
    stretches = rx.plan.stretches()
    orders = [
        (
            url(f"service-request/{i}"),
            _service_request(
                rx,
                stretch,
                status=status,
                requisition=requisition,
                patient=patient,
                practitioner=practitioner,
                coverage=coverage,
            ),
        )
        for i, stretch in enumerate(stretches, start=1)
    ]
    resources = [
        *orders,
        (patient, _patient(rx)),
        (practitioner, _practitioner(rx)),
        (url("practitioner-role"), _role(rx, practitioner, organization)),
        (organization, _organization(rx)),
        (coverage, _coverage(rx, patient)),
    ]
    moment = (timestamp or datetime.now(UTC)).astimezone(UTC)
    return {
        "resourceType": "Bundle",
        "meta": dict(meta),
        "identifier": dict(requisition),
        "type": "collection",
        "timestamp": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "entry": [
            {
                "fullUrl": full_url,
                "resource": {
                    "resourceType": resource["resourceType"],
                    "meta": dict(meta),
                    **resource,
                },
            }
            for full_url, resource in resources
        ],
    }


def _service_request(
    rx: Prescription,
    stretch: Stretch,
    *,
    status: str,
    requisition: dict[str, str],
    patient: str,
    practitioner: str,
    coverage: str,
) -> dict[str, Any]:
    """One ServiceRequest: the ordered codes over one stretch of the plan."""
    lines = rx.modality.lines()
    notes = [rx.necessity]
    if rx.goals_line:
        notes.append(f"Goals: {rx.goals_line}")
    notes.extend(f"Precaution: {p.label}" for p in rx.precautions)
    if rx.amends:
        notes.append(f"Amends prescription {rx.amends}.")
    return {
        "resourceType": "ServiceRequest",
        "requisition": dict(requisition),
        "status": status,
        "intent": "order",
        "code": {
            "coding": [
                {"system": CPT_SYSTEM, "code": code, "display": name}
                for code, name, _ in lines
            ],
            "text": "; ".join(
                f"{name} (CPT {code}): {', '.join(techniques)}"
                for code, name, techniques in lines
            ),
        },
        "orderDetail": [
            *({"text": technique} for technique in rx.modality.techniques),
            {"text": f"{rx.modality.pressure_label} pressure"},
        ],
        "quantityQuantity": {
            "value": stretch.visits,
            "unit": "visit",
            "system": UCUM_SYSTEM,
            "code": "{visit}",
        },
        "subject": {"reference": patient},
        "occurrenceTiming": {
            "repeat": {
                "boundsPeriod": {
                    "start": stretch.start.isoformat(),
                    "end": stretch.end.isoformat(),
                },
                "count": stretch.visits,
                "duration": rx.session.minutes,
                "durationUnit": "min",
                "frequency": stretch.frequency,
                "period": stretch.period,
                "periodUnit": "wk",
            },
            "code": {"text": stretch.text},
        },
        "authoredOn": rx.written_on.isoformat(),
        "requester": {"reference": practitioner},
        "reasonCode": [
            {"coding": [{"system": ICD10CM_SYSTEM, "code": d.code, "display": d.title}]}
            for d in rx.diagnoses
        ],
        **(
            {"performerType": {"text": rx.modality.performer_label}}
            if rx.modality.performer
            else {}
        ),
        "insurance": [{"reference": coverage}],
        "bodySite": [{"text": area.label} for area in rx.body_areas],
        "note": [{"text": text} for text in notes],
    }


def _patient(rx: Prescription) -> dict[str, Any]:
    """The Patient: name, date of birth, and MRN, phone and address when given."""
    p = rx.patient
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "name": [{"text": p.name}],
        "birthDate": p.dob.isoformat(),
    }
    if p.mrn:
        resource["identifier"] = [
            {
                "type": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MR",
                            "display": "Medical record number",
                        }
                    ]
                },
                "value": p.mrn,
            }
        ]
    if p.phone:
        resource["telecom"] = [{"system": "phone", "value": p.phone}]
    if p.address:
        resource["address"] = [{"text": p.address}]
    return resource


def _contact(rx: Prescription) -> dict[str, Any]:
    """The practice's phone, fax and address, shared by prescriber and practice."""
    p = rx.prescriber
    telecom = [{"system": "phone", "value": p.phone, "use": "work"}]
    if p.fax:
        telecom.append({"system": "fax", "value": p.fax, "use": "work"})
    return {"telecom": telecom, "address": [{"use": "work", "text": p.address}]}


def _practitioner(rx: Prescription) -> dict[str, Any]:
    """The prescribing Practitioner, identified by NPI, with credentials and license."""
    p = rx.prescriber
    qualification: dict[str, Any] = {
        "identifier": [{"type": {"text": "State license"}, "value": p.license}],
        "code": {"text": p.credentials},
    }
    if p.license_state:  # the licensing state issues it
        state = f"{US_STATES[p.license_state]} ({p.license_state})"
        qualification["issuer"] = {"display": state}
    return {
        "resourceType": "Practitioner",
        "identifier": [{"system": NPI_SYSTEM, "value": p.npi}],
        "name": [{"text": p.name, "suffix": [p.credentials]}],
        **_contact(rx),
        "qualification": [qualification],
    }


def _organization(rx: Prescription) -> dict[str, Any]:
    """The prescriber's practice."""
    return {
        "resourceType": "Organization",
        "name": rx.prescriber.practice,
        **_contact(rx),
    }


def _role(rx: Prescription, practitioner: str, organization: str) -> dict[str, Any]:
    """The PractitionerRole tying the prescriber to the practice and specialty."""
    role: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "practitioner": {"reference": practitioner},
        "organization": {"reference": organization},
    }
    if rx.prescriber.specialty:
        role["specialty"] = [{"text": rx.prescriber.specialty}]
    return role


def _coverage(rx: Prescription, patient: str) -> dict[str, Any]:
    """The Coverage: payer, member ID, and the claim number and injury for claims."""
    c = rx.coverage
    resource: dict[str, Any] = {"resourceType": "Coverage"}
    extensions: list[dict[str, Any]] = []
    if c.date_of_injury:
        extensions.append(
            {"url": DATE_OF_INJURY_URL, "valueDate": c.date_of_injury.isoformat()}
        )
    if c.accident_state:
        extensions.append(
            {
                "url": ACCIDENT_STATE_URL,
                "valueAddress": {"state": c.accident_state, "country": "US"},
            }
        )
    if extensions:
        resource["extension"] = extensions
    if c.claim_number:
        resource["identifier"] = [
            {"type": {"text": CLAIM_NUMBER_TYPE}, "value": c.claim_number}
        ]
    resource["status"] = "active"
    resource["type"] = {"text": c.payer_label}
    if c.member_id:
        resource["subscriberId"] = c.member_id
    resource["beneficiary"] = {"reference": patient}
    # Self-pay without a named payer: the patient pays (R4 requires a payor).
    resource["payor"] = [
        {"display": c.payer_name} if c.payer_name else {"reference": patient}
    ]
    return resource
