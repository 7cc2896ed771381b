"""Who may prescribe (issue 11, finding 3): one account per NPI, accounts by first-run
setup and invitation, and an administrator's confirmation before a physician signs."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import models
from extensions import db
from rxassist import accounts
from services import members
from services.audit import Actor, who
from tests import factories
from tests.factories import api_key, personal_token
from tests.helpers import (
    EMAIL,
    FINALIZE,
    PASSWORD,
    PROFILE,
    Physician,
    csrf_token,
    field_error,
    payload,
    step,
    valid_npi,
    walk_to_review,
)

ADMIN = "admin@example.org"
NEW = "new.doctor@example.org"
NEW_NPI = valid_npi(7)
IDENTITY = {
    "name": "Nora Newman",
    "credentials": "DO",
    "npi": NEW_NPI,
    "license": "ME765432",
    "license_state": "FL",
}


def _admin(app: Flask, client: FlaskClient) -> Physician:
    """The administrator of Lakeside (a confirmed physician too), signed in."""
    factories.physician(app, ADMIN, practice="Lakeside", npi=valid_npi(1))
    with app.app_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == ADMIN)
        ).one()
        user.is_admin = True
        db.session.commit()
    return factories.signed_in(client, ADMIN)


def _user(app: Flask, email: str) -> models.User:
    with app.app_context():
        user = db.session.scalars(
            select(models.User).where(models.User.email == email)
        ).one()
        db.session.expunge(user)
        return user


def _events(app: Flask, action: str) -> list[tuple[str, str, int | None]]:
    """(who, detail, user id) of the audit events of ``action``."""
    with app.app_context():
        rows = db.session.scalars(
            select(models.AuditEvent).where(models.AuditEvent.action == action)
        )
        return [(who(e), e.detail, e.user_id) for e in rows]


def _count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _api(client: FlaskClient, secret: str, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/prescriptions",
        json=body,
        headers={"Authorization": f"Bearer {secret}"},
    )


# -- one account per NPI ------------------------------------------------------------


def test_npi_of_another_account_is_refused_on_the_profile_form(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app, "john@example.org", npi=valid_npi(2))
    factories.physician(app)  # Maria holds PROFILE's NPI
    john = factories.signed_in(client, "john@example.org")
    response = john.complete_profile(name="John Smith")  # with Maria's NPI
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert accounts.NPI_TAKEN in field_error(html, "npi")
    assert 'value="John Smith"' in html  # nothing typed is lost
    assert _user(app, "john@example.org").npi == valid_npi(2)


def test_npi_is_unique_in_the_database(app: Flask) -> None:
    factories.physician(app)
    with app.app_context():
        db.session.add(
            models.User(email="x@example.org", password_hash="-", npi=PROFILE["npi"])
        )
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
        # Accounts without an NPI yet do not collide.
        for email in ("y@example.org", "z@example.org"):
            db.session.add(models.User(email=email, password_hash="-", npi=""))
        db.session.commit()


def test_api_request_for_an_npi_is_stored_under_that_physician_only(
    app: Flask, client: FlaskClient
) -> None:
    """The finding: an impostor of the practice typed Maria's NPI first, and the
    key's request for that NPI was stored under the impostor's name."""
    secret = api_key(app)
    factories.physician(app, "impostor@example.org", practice="Lakeside", npi="")
    factories.physician(app, practice="Lakeside")  # Maria, PROFILE's NPI
    impostor = factories.signed_in(client, "impostor@example.org")
    refused = impostor.complete_profile(name="Ivan Impostor")
    assert accounts.NPI_TAKEN in refused.get_data(as_text=True)
    impostor.logout()
    response = _api(client, secret, payload())
    assert response.status_code == 202, response.get_json()
    with app.app_context():
        draft = db.session.scalars(select(models.Draft)).one()
        assert draft.user.email == EMAIL and draft.user.name == PROFILE["name"]


def test_api_refuses_a_request_naming_two_npis_or_none(
    app: Flask, client: FlaskClient
) -> None:
    secret = api_key(app)
    factories.physician(app, practice="Lakeside")
    factories.physician(app, "ana@example.org", practice="Lakeside", npi=valid_npi(3))
    two = {**payload(), "prescriber": {"npi": valid_npi(3)}}
    response = _api(client, secret, two)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"prescriber.npi": accounts.NPI_DIFFERS}
    nameless = {k: v for k, v in payload().items() if k != "npi"}
    response = _api(client, secret, nameless)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"npi": accounts.NPI_MISSING}
    assert _count(app, models.Draft) == 0


def test_api_key_cannot_create_under_another_practices_npi(
    app: Flask, client: FlaskClient
) -> None:
    secret = api_key(app, "Lakeside")
    factories.physician(app, practice="Other Clinic")
    response = _api(client, secret, payload())
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"npi": accounts.NO_SUCH_PHYSICIAN}
    assert _count(app, models.Draft) == 0


def test_personal_token_cannot_write_under_another_physicians_npi(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app)
    factories.physician(app, "ana@example.org", npi=valid_npi(3))
    secret = personal_token(app, "ana@example.org")
    response = _api(client, secret, {**payload(), "attest": True})
    assert response.status_code == 422
    assert "npi" in response.get_json()["fields"]
    assert _count(app, models.Prescription) == 0


# -- registration is closed by default -----------------------------------------------


def test_registration_is_closed_by_default(app: Flask, client: FlaskClient) -> None:
    assert app.config["RX_SELF_REGISTRATION"] is False
    page = client.get("/register")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Accounts are by invitation" in html
    assert 'type="password"' not in html
    form = {"email": NEW, "password": PASSWORD, "confirm": PASSWORD}
    response = Physician(client).post("/register", form, page="/login")
    assert response.status_code == 403
    assert _count(app, models.User) == 0


def test_registration_opens_with_the_setting(open_registration: Flask) -> None:
    client = open_registration.test_client()
    form = {"email": NEW, "password": PASSWORD, "confirm": PASSWORD}
    assert Physician(client).post("/register", form).status_code == 302
    registered = _user(open_registration, NEW)
    assert registered.npi_confirmed is False and registered.practice_id is None


# -- invitations and confirmation ----------------------------------------------------


def _invite(admin: Physician, email: str = NEW) -> str:
    """The invitation link's path, as the members page shows it once."""
    response = admin.post(
        "/practice/invitations", {"email": email}, "/practice/members"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = re.search(r"<code class=\"secret\" data-invitation>([^<]+)</code>", html)
    assert link is not None
    return "/" + link.group(1).split("/", 3)[3]


def _accept(client: FlaskClient, path: str) -> Any:
    form = {**IDENTITY, "password": PASSWORD, "confirm": PASSWORD}
    return Physician(client).post(path, form)


def test_invitation_flow_end_to_end(app: Flask, client: FlaskClient) -> None:
    admin = _admin(app, client)
    path = _invite(admin)
    with app.app_context():
        stored = db.session.scalars(select(models.Invitation)).one()
        assert path.rsplit("/", 1)[1] not in (stored.token_hash, stored.id)
    # The invited physician makes their account from the link, once.
    invited = app.test_client()
    assert invited.get(path).status_code == 200
    response = _accept(invited, path)
    assert response.status_code == 302 and "/login" in response.location
    assert invited.get(path).status_code == 404  # single use
    member = _user(app, NEW)
    assert member.practice_id == _user(app, ADMIN).practice_id
    assert (member.name, member.npi, member.is_admin) == ("Nora Newman", NEW_NPI, False)
    assert member.npi_confirmed is False
    assert Physician(invited).login(NEW).status_code == 302
    # The administrator confirms them on the members page.
    members_page = admin.client.get("/practice/members").get_data(as_text=True)
    assert NEW in members_page and "Not confirmed" in members_page
    url = f"/practice/members/{member.id}/confirm"
    assert admin.post(url, {"npi": NEW_NPI}, "/practice/members").status_code == 302
    assert _user(app, NEW).npi_confirmed is True
    assert _user(app, NEW).confirmed_by_id == _user(app, ADMIN).id


def test_confirmation_is_audited_with_the_confirmer(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    factories.physician(app, practice="Lakeside", confirmed="")
    maria = _user(app, EMAIL)
    url = f"/practice/members/{maria.id}/confirm"
    admin.post(url, {"npi": PROFILE["npi"]}, "/practice/members")
    assert _events(app, "physician confirmed") == [
        (ADMIN, f"{EMAIL}: NPI {PROFILE['npi']}", _user(app, ADMIN).id)
    ]
    admin.post(f"/practice/members/{maria.id}/revoke", {}, "/practice/members")
    assert _user(app, EMAIL).npi_confirmed is False
    assert _events(app, "confirmation revoked") == [
        (ADMIN, EMAIL, _user(app, ADMIN).id)
    ]


def test_only_an_administrator_of_the_practice_confirms(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    factories.physician(app, "out@example.org", practice="Elsewhere", confirmed="")
    outsider = _user(app, "out@example.org")
    url = f"/practice/members/{outsider.id}/confirm"
    seen = {"npi": PROFILE["npi"]}
    assert admin.post(url, seen, "/practice/members").status_code == 404
    me = _user(app, ADMIN)
    admin.post(f"/practice/members/{me.id}/revoke", {}, "/practice/members")
    url = f"/practice/members/{me.id}/confirm"
    admin.post(url, {"npi": valid_npi(1)}, "/practice/members")
    assert _user(app, ADMIN).npi_confirmed is False  # not by oneself
    assert _user(app, "out@example.org").npi_confirmed is False
    colleague = app.test_client()
    factories.physician(app, practice="Lakeside")
    factories.signed_in(colleague)
    assert colleague.get("/practice/members").status_code == 403


def test_an_expired_invitation_opens_nothing(app: Flask, client: FlaskClient) -> None:
    path = _invite(_admin(app, client))
    with app.app_context():
        invitation = db.session.scalars(select(models.Invitation)).one()
        invitation.expires_at = models.utcnow() - timedelta(seconds=1)
        db.session.commit()
    other = app.test_client()
    assert other.get(path).status_code == 404
    assert _count(app, models.User) == 1


def test_invitation_refuses_an_npi_of_another_account(
    app: Flask, client: FlaskClient
) -> None:
    path = _invite(_admin(app, client))
    factories.physician(app)
    invited = app.test_client()
    form = {**IDENTITY, "npi": PROFILE["npi"], "password": PASSWORD}
    response = Physician(invited).post(path, {**form, "confirm": PASSWORD})
    assert response.status_code == 200
    assert accounts.NPI_TAKEN in response.get_data(as_text=True)
    assert invited.get(path).status_code == 200  # still unused


def test_changing_the_npi_unconfirms(app: Flask, physician: Physician) -> None:
    assert _user(app, EMAIL).npi_confirmed is True
    response = physician.complete_profile(npi=valid_npi(4))
    assert response.status_code == 302
    changed = _user(app, EMAIL)
    assert changed.npi == valid_npi(4) and changed.npi_confirmed is False
    assert changed.confirmed_npi is None
    events = _events(app, "identity changed")
    assert [e[1] for e in events] == [f"{EMAIL}: npi changed; unconfirmed"]
    # Back to the old NPI: still unconfirmed until an administrator confirms again.
    physician.complete_profile()
    assert _user(app, EMAIL).npi_confirmed is False


def test_confirm_button_carries_the_npi_the_administrator_saw(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    factories.physician(app, practice="Lakeside", confirmed="")
    page = admin.client.get("/practice/members").get_data(as_text=True)
    assert f'<input type="hidden" name="npi" value="{PROFILE["npi"]}">' in page


def test_confirmation_refuses_when_the_npi_changed_since_the_page_was_shown(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    factories.physician(app, practice="Lakeside", confirmed="")
    maria = _user(app, EMAIL)
    # Maria changes her NPI (and name) after the administrator opened the page.
    member = factories.signed_in(app.test_client())
    member.complete_profile(npi=valid_npi(5), name="Someone Else")
    url = f"/practice/members/{maria.id}/confirm"
    response = admin.post(url, {"npi": PROFILE["npi"]}, "/practice/members")
    assert response.status_code == 302
    page = admin.client.get("/practice/members").get_data(as_text=True)
    assert "NPI changed since the page was shown" in page
    assert valid_npi(5) in page
    assert _user(app, EMAIL).confirmed_npi is None
    assert _events(app, "physician confirmed") == []
    # Without the NPI seen, nothing is confirmed either.
    admin.post(url, {}, "/practice/members")
    assert _user(app, EMAIL).npi_confirmed is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Dr. Impostor"),
        ("credentials", "DO"),
        ("license", "ZZ999"),
        ("license_state", "CA"),
        ("npi", valid_npi(4)),
    ],
)
def test_changing_an_identity_field_after_confirmation_unconfirms(
    app: Flask, physician: Physician, field: str, value: str
) -> None:
    assert _user(app, EMAIL).npi_confirmed is True
    response = physician.complete_profile(**{field: value})
    assert response.status_code == 302
    changed = _user(app, EMAIL)
    assert getattr(changed, field) == value
    assert changed.npi_confirmed is False and changed.confirmed_npi is None
    # The audit names the field, never its new value.
    events = _events(app, "identity changed")
    assert [e[1] for e in events] == [f"{EMAIL}: {field} changed; unconfirmed"]
    assert value not in events[0][1]


def test_changing_other_profile_fields_keeps_the_confirmation(
    app: Flask, physician: Physician
) -> None:
    physician.complete_profile(phone="941-555-0199", specialty="Sports Medicine")
    assert _user(app, EMAIL).npi_confirmed is True
    assert _events(app, "identity changed") == []


# -- lengths and vocabularies of the identity forms --------------------------------

BAD_IDENTITY = {
    "name": "N" * 3000,
    "credentials": "ZZZ",
    "license": "L" * 500,
    "license_state": "ZZZZZ",
}


def test_invitation_refuses_overlong_and_unknown_identity_values(
    app: Flask, client: FlaskClient
) -> None:
    path = _invite(_admin(app, client))
    invited = app.test_client()
    form = {**IDENTITY, **BAD_IDENTITY, "password": PASSWORD, "confirm": PASSWORD}
    response = Physician(invited).post(path, form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Use at most 100 characters (this has 3000)" in field_error(html, "name")
    assert "Use at most 40 characters (this has 500)" in field_error(html, "license")
    assert accounts.UNKNOWN_CREDENTIALS in field_error(html, "credentials")
    assert "Choose a US state" in field_error(html, "license_state")
    assert _count(app, models.User) == 1  # only the administrator
    assert invited.get(path).status_code == 200  # still unused


def test_setup_refuses_overlong_and_unknown_identity_values(
    app: Flask, client: FlaskClient
) -> None:
    path = _setup_path(_setup_link(app)[1])
    response = Physician(client).post(path, {**SETUP, **BAD_IDENTITY})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Use at most 100 characters" in field_error(html, "name")
    assert accounts.UNKNOWN_CREDENTIALS in field_error(html, "credentials")
    assert _count(app, models.User) == 0
    assert client.get(path).status_code == 200


def test_accepting_checks_lengths_even_without_the_form(
    app: Flask, client: FlaskClient
) -> None:
    path = _invite(_admin(app, client))
    with app.test_request_context():
        invitation = db.session.scalars(select(models.Invitation)).one()
        profile = {**IDENTITY, "license": "L" * 500, "license_state": "ZZZZZ"}
        account = members.NewAccount(NEW, PASSWORD, profile)
        errors = members.accept(invitation, account)
    assert set(errors) == {"license", "license_state"}
    assert _count(app, models.User) == 1
    assert app.test_client().get(path).status_code == 200


def test_profile_refuses_credentials_not_offered(
    app: Flask, physician: Physician
) -> None:
    response = physician.complete_profile(credentials="ZZZ")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert accounts.UNKNOWN_CREDENTIALS in field_error(html, "credentials")
    assert _user(app, EMAIL).credentials == PROFILE["credentials"]


# -- ids in addresses, withdrawing invitations ----------------------------------------


@pytest.mark.parametrize("action", ["confirm", "revoke"])
def test_a_member_id_beyond_any_row_is_not_found(
    app: Flask, client: FlaskClient, action: str
) -> None:
    admin = _admin(app, client)
    for user_id in (2**31, 2**63, 10**23):
        url = f"/practice/members/{user_id}/{action}"
        assert admin.post(url, {"npi": NEW_NPI}, "/practice/members").status_code == 404


def test_administrator_withdraws_a_pending_invitation(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    path = _invite(admin)
    invited = app.test_client()
    token = csrf_token(invited, path)  # the form, opened before it is withdrawn
    with app.app_context():
        invitation_id = db.session.scalars(select(models.Invitation.id)).one()
    url = f"/practice/invitations/{invitation_id}/withdraw"
    page = admin.client.get("/practice/members").get_data(as_text=True)
    assert f'action="{url}"' in page
    assert admin.client.post(url).status_code == 400  # no CSRF token
    response = admin.post(url, {}, "/practice/members")
    assert response.status_code == 302
    page = admin.client.get("/practice/members").get_data(as_text=True)
    assert f"The invitation for {NEW} is withdrawn." in page
    assert f'data-pending="{NEW}"' not in page
    assert _events(app, "invitation withdrawn") == [(ADMIN, NEW, _user(app, ADMIN).id)]
    # The link opens nothing, and a form opened earlier makes no account.
    assert app.test_client().get(path).status_code == 404
    form = {**IDENTITY, "password": PASSWORD, "confirm": PASSWORD}
    assert invited.post(path, data={**form, "csrf_token": token}).status_code == 404
    assert _count(app, models.User) == 1
    # Withdrawn once: a second time finds no pending invitation.
    assert admin.post(url, {}, "/practice/members").status_code == 404


def test_only_an_administrator_of_the_practice_withdraws_an_invitation(
    app: Flask, client: FlaskClient
) -> None:
    path = _invite(_admin(app, client))
    with app.app_context():
        invitation_id = db.session.scalars(select(models.Invitation.id)).one()
    url = f"/practice/invitations/{invitation_id}/withdraw"
    factories.physician(app, "other@example.org", practice="Elsewhere")
    with app.app_context():
        other = db.session.scalars(
            select(models.User).where(models.User.email == "other@example.org")
        ).one()
        other.is_admin = True
        db.session.commit()
    outsider = factories.signed_in(app.test_client(), "other@example.org")
    assert outsider.post(url, {}, "/practice/members").status_code == 404
    factories.physician(app, practice="Lakeside", npi=valid_npi(3))
    colleague = factories.signed_in(app.test_client())
    assert colleague.post(url, {}, "/drafts").status_code == 403
    assert app.test_client().get(path).status_code == 200  # still open


def test_an_invitation_withdrawn_while_its_form_is_filled_in_makes_no_account(
    app: Flask, client: FlaskClient
) -> None:
    admin = _admin(app, client)
    _invite(admin)
    with app.test_request_context():
        invitation = db.session.scalars(select(models.Invitation)).one()
        admin_user = db.session.get(models.User, _user(app, ADMIN).id)
        assert admin_user is not None
        assert members.withdraw_invitation(invitation.id, admin_user, Actor())
        account = members.NewAccount(NEW, PASSWORD, IDENTITY)
        assert members.accept(invitation, account) == {
            "invitation": "This invitation was used or withdrawn already."
        }
    assert _count(app, models.User) == 1


# -- an unconfirmed physician cannot sign --------------------------------------------


def test_unconfirmed_physician_cannot_finalize_in_the_wizard(
    app: Flask, client: FlaskClient
) -> None:
    factories.physician(app, confirmed="")
    doctor = factories.signed_in(client)
    assert accounts.NOT_CONFIRMED in client.get("/drafts").get_data(as_text=True)
    base = walk_to_review(doctor)
    html = client.get(f"{base}/review").get_data(as_text=True)
    assert "You cannot sign yet" in html and accounts.NOT_CONFIRMED in html
    assert 'value="finalize"' not in html
    response = step(doctor, base, "review", FINALIZE)
    assert response.status_code == 422
    assert accounts.NOT_CONFIRMED in response.get_data(as_text=True)
    assert _count(app, models.Prescription) == 0


def test_unconfirmed_physician_cannot_sign_through_the_api(
    app: Flask, client: FlaskClient
) -> None:
    secret = api_key(app)
    factories.physician(app, practice="Lakeside", confirmed="")
    token = personal_token(app)
    response = _api(client, token, {**payload(), "attest": True})
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"npi": accounts.NOT_CONFIRMED}
    response = _api(client, secret, payload())
    assert response.status_code == 422
    assert response.get_json()["fields"] == {"npi": accounts.KEY_NOT_CONFIRMED}
    assert _count(app, models.Prescription) == 0
    assert _count(app, models.Draft) == 0


def test_issuing_itself_refuses_an_unconfirmed_prescriber(app: Flask) -> None:
    from services import issuing
    from services.audit import Actor
    from tests.helpers import order

    factories.physician(app, confirmed="")
    with app.test_request_context():
        user = db.session.scalars(select(models.User)).one()
        issued = issuing.issue(order(), user, Actor(user=user))
        assert issued.outcome is issuing.Outcome.UNCONFIRMED
        assert issued.errors == {"npi": accounts.NOT_CONFIRMED}
    assert _count(app, models.Prescription) == 0


# -- first-run setup ----------------------------------------------------------------


def _setup_link(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(
        args=["admin", "setup-link", "--base-url", "http://127.0.0.1:5000", *args]
    )
    return result.exit_code, result.output


def _setup_path(output: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:5000(/setup/\S+)", output)
    assert found is not None, output
    return found.group(1)


SETUP = {
    "practice_name": "Lakeside Family Medicine",
    "email": ADMIN,
    "password": PASSWORD,
    "confirm": PASSWORD,
    "physician": "y",
    **IDENTITY,
}


def test_setup_link_creates_the_practice_once_then_is_gone(
    app: Flask, client: FlaskClient
) -> None:
    code, output = _setup_link(app)
    assert code == 0
    path = _setup_path(output)
    with app.app_context():
        stored = db.session.scalars(select(models.SetupLink)).one()
        assert path.rsplit("/", 1)[1] not in stored.token_hash
    assert client.get(path).status_code == 200
    response = Physician(client).post(path, SETUP)
    assert response.status_code == 302 and "/login" in response.location
    admin = _user(app, ADMIN)
    assert admin.is_admin and admin.practice_id is not None
    assert admin.npi == NEW_NPI and admin.npi_confirmed is True
    assert _events(app, "physician confirmed") == [
        (ADMIN, f"{ADMIN}: NPI {NEW_NPI}, by the first-run setup", admin.id)
    ]
    # Single use, and /setup/* is gone once an account exists.
    assert client.get(path).status_code == 404
    assert client.get("/setup/anything").status_code == 404
    assert _setup_link(app) == (1, _setup_link(app)[1])
    assert "Setup is done" in _setup_link(app)[1]
    assert _setup_link(app, "--if-needed") == (0, "")
    assert client.get("/register").status_code == 200  # the invitation page
    form = {"email": NEW, "password": PASSWORD, "confirm": PASSWORD}
    assert Physician(client).post("/register", form, "/login").status_code == 403


def test_setup_administrator_who_does_not_prescribe_has_no_npi(
    app: Flask, client: FlaskClient
) -> None:
    path = _setup_path(_setup_link(app)[1])
    form = {**SETUP, "physician": "", "npi": "", "name": "", "license": ""}
    form.pop("physician")
    assert Physician(client).post(path, form).status_code == 302
    admin = _user(app, ADMIN)
    assert admin.is_admin and admin.npi == "" and not admin.npi_confirmed
    assert _events(app, "physician confirmed") == []


def test_a_new_setup_link_replaces_the_previous_one(
    app: Flask, client: FlaskClient
) -> None:
    first = _setup_path(_setup_link(app)[1])
    second = _setup_path(_setup_link(app)[1])
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


# -- the command line ---------------------------------------------------------------


def test_cli_created_physician_is_confirmed_by_the_command_line(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["admin", "create-practice", "Lakeside"]).exit_code == 0
    created = runner.invoke(
        args=["admin", "create-user", EMAIL, "--practice", "Lakeside",
              "--npi", PROFILE["npi"], "--password", PASSWORD]
    )  # fmt: skip
    assert created.exit_code == 0, created.output
    assert _user(app, EMAIL).npi_confirmed is True
    assert _events(app, "physician confirmed") == [
        ("command line", f"{EMAIL}: NPI {PROFILE['npi']}, by the command line", None)
    ]
    taken = runner.invoke(
        args=["admin", "create-user", "b@example.org", "--practice", "Lakeside",
              "--npi", PROFILE["npi"], "--password", PASSWORD]
    )  # fmt: skip
    assert taken.exit_code == 1 and accounts.NPI_TAKEN in taken.output


def test_cli_confirm_and_make_admin(app: Flask) -> None:
    factories.physician(app, practice="Lakeside", confirmed="")
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["admin", "confirm", EMAIL, "nobody@example.org"])
    assert unknown.exit_code == 1
    assert _user(app, EMAIL).npi_confirmed is True  # the known one still is
    made = runner.invoke(args=["admin", "make-admin", EMAIL])
    assert made.exit_code == 0 and _user(app, EMAIL).is_admin
    listing = runner.invoke(args=["admin", "list-users"]).output
    assert (
        f"{EMAIL}\tLakeside\tprofile complete\tNPI confirmed\tadministrator" in listing
    )
