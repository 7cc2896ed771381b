"""The one way to issue: stamped, validated, stored once, with a typed outcome."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

import models
from extensions import db
from rxassist import localtime
from rxassist.lifecycle import Action, Status
from services import issuing
from services.audit import Actor
from services.issuing import IdempotencyClaim, Outcome
from tests import factories
from tests.helpers import PROFILE, order, today


def _physician(app: Flask) -> models.User:
    """A physician made by the factory, in the test's own session."""
    return db.session.get_one(models.User, factories.physician(app))


def _count() -> int:
    return int(db.session.scalar(select(func.count(models.Prescription.id))) or 0)


def test_a_prescription_is_dated_today_where_its_practice_is(app: Flask) -> None:
    # UTC+14 and UTC-12 are never on the same date, and at any hour one of them is
    # not on UTC's: the practice's zone, not the server's clock, dates the order.
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12"):
        email = f"{zone.split('/')[1].lower().replace('+', '')}@example.org"
        factories.physician(app, email=email, practice=zone)
        with app.test_request_context():
            user = db.session.scalars(
                select(models.User).where(models.User.email == email)
            ).one()
            user.practice_ref.time_zone = zone
            db.session.commit()
            start = localtime.today(zone) + timedelta(days=1)
            issued = issuing.issue(order(start.isoformat()), user, Actor(user=user))
            assert issued.outcome is Outcome.ISSUED and issued.record is not None
            assert issued.record.written_on == localtime.today(zone)
            day = issued.record.written_on
            assert issued.record.number.startswith(f"RX-{day:%Y%m%d}-")
    assert localtime.today("Pacific/Kiritimati") != localtime.today("Etc/GMT+12")


def test_issue_stamps_prescriber_number_and_today(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        issued = issuing.issue(order(), user, Actor(user=user))
        assert issued.outcome is Outcome.ISSUED and issued.record is not None
        record = issued.record
        assert record.status == Status.FINAL
        assert record.written_on == today()
        assert record.number.startswith(f"RX-{today():%Y%m%d}-")
        assert record.document["prescriber"]["npi"] == PROFILE["npi"]
        assert record.pdf.startswith(b"%PDF")
        events = db.session.scalars(select(models.AuditEvent.action)).all()
        assert events == ["finalized", "warnings accepted"]
        assert {w["rule"] for w in record.warnings} >= {"icd.injury-initial-encounter"}


def test_issue_answers_invalid_with_every_bad_field_and_stores_nothing(
    app: Flask,
) -> None:
    with app.test_request_context():
        user = _physician(app)
        bad = order(diagnoses=["Z99.999"], session={"minutes": 5})
        issued = issuing.issue(bad, user, Actor(user=user))
        assert issued.outcome is Outcome.INVALID and issued.record is None
        assert set(issued.errors) == {"diagnoses.0", "session.minutes"}
        assert _count() == 0


def test_issue_refuses_a_document_dated_another_day(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        yesterday = (today() - timedelta(days=1)).isoformat()
        issued = issuing.issue(
            dict(order(), written_on=yesterday), user, Actor(user=user)
        )
        assert issued.outcome is Outcome.INVALID
        assert issued.errors["written_on"] == issuing.WRITTEN_TODAY
        assert _count() == 0


def test_issue_with_a_draft_claim_issues_the_draft_once(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        draft = models.Draft(user_id=user.id, document=order())
        db.session.add(draft)
        db.session.commit()
        first = issuing.finalize(draft, user, Actor(user=user))
        again = issuing.finalize(draft, user, Actor(user=user))
        assert first.outcome is Outcome.ISSUED
        assert again.outcome is Outcome.ALREADY_ISSUED
        assert first.record is not None and again.record is not None
        assert again.record.id == first.record.id == draft.prescription_id
        assert _count() == 1


def test_issue_of_an_amendment_supersedes_the_original_once(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        original = issuing.issue(order(), user, Actor(user=user)).record
        assert original is not None
        one = issuing.start_draft(original, Action.AMEND, Actor(user=user))
        two = issuing.start_draft(original, Action.AMEND, Actor(user=user))
        assert one is not None and two is not None
        assert issuing.finalize(one, user, Actor(user=user)).outcome is Outcome.ISSUED
        db.session.refresh(original)
        assert original.status == Status.SUPERSEDED
        late = issuing.finalize(two, user, Actor(user=user))
        assert late.outcome is Outcome.NOT_CURRENT and late.record is None
        assert "no longer current" in late.errors["amends"]
        assert _count() == 2


def test_start_draft_refuses_what_the_lifecycle_forbids(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        record = issuing.issue(order(), user, Actor(user=user)).record
        assert record is not None
        assert issuing.void(record, Actor(user=user), "wrong patient")
        assert record.status == Status.VOID
        assert not issuing.void(record, Actor(user=user), "again")
        assert issuing.start_draft(record, Action.AMEND, Actor(user=user)) is None
        renewal = issuing.start_draft(record, Action.RENEW, Actor(user=user))
        assert renewal is not None and renewal.amends_id is None
        assert renewal.document["plan"]["start"] == today().isoformat()


def test_issue_with_an_idempotency_claim_replays_or_refuses(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        practice = models.Practice(name="Lakeside")
        db.session.add(practice)
        db.session.flush()
        key = models.ApiKey(
            practice_id=practice.id, name="EHR", prefix="rxa_", key_hash="1" * 64
        )
        db.session.add(key)
        db.session.commit()
        actor = Actor(user=user, api_key_id=key.id)
        claim = IdempotencyClaim(key.id, "visit-1", "a" * 64)
        first = issuing.issue(order(), user, actor, guard=claim, link_days=30)
        replay = issuing.issue(order(), user, actor, guard=claim, link_days=30)
        other = IdempotencyClaim(key.id, "visit-1", "b" * 64)
        reused = issuing.issue(order(), user, actor, guard=other)
        assert first.outcome is Outcome.ISSUED and first.token and first.link
        assert replay.outcome is Outcome.ALREADY_ISSUED
        assert replay.record is not None and first.record is not None
        assert replay.record.id == first.record.id
        assert reused.outcome is Outcome.KEY_REUSED and reused.record is None
        assert _count() == 1
        assert db.session.scalar(select(func.count(models.PatientLink.id))) == 1


def test_issue_refuses_until_every_warning_is_accepted(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        draft = models.Draft(user_id=user.id, document=order())
        db.session.add(draft)
        db.session.commit()
        refused = issuing.finalize(draft, user, Actor(user=user), accepted=())
        assert refused.outcome is Outcome.WARNINGS_NOT_ACCEPTED
        assert refused.record is None and _count() == 0
        keys = [issuing.warning_key(w) for w in refused.warnings]
        assert "icd.injury-initial-encounter@diagnoses.0" in keys
        issued = issuing.finalize(draft, user, Actor(user=user), accepted=keys)
        assert issued.outcome is Outcome.ISSUED and _count() == 1


def test_issue_refuses_a_rule_error_with_its_message(app: Flask) -> None:
    with app.test_request_context():
        user = _physician(app)
        cleared = today() + timedelta(days=3)
        body = order(
            precautions=[{"kind": "postop", "cleared_on": cleared.isoformat()}]
        )
        issued = issuing.issue(body, user, Actor(user=user))
        assert issued.outcome is Outcome.INVALID
        assert [f.rule for f in issued.findings if f.severity == "error"] == [
            "plan.postop-clearance"
        ]
        assert "start the plan on or after" in issued.errors["precautions.0.cleared_on"]
        assert _count() == 0
