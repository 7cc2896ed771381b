"""flask admin: practices, accounts and password resets."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

import models
from extensions import db


def run(app: Flask, *args: str, password: str | None = None) -> tuple[int, str]:
    extra = ["--password", password] if password is not None else []
    result = app.test_cli_runner().invoke(args=["admin", *args, *extra])
    return result.exit_code, result.output


def test_admin_creates_a_practice_and_its_physicians(app: Flask) -> None:
    assert run(app, "create-practice", "Lakeside Family Medicine")[0] == 0
    code, out = run(app, "create-user", "Maria@Example.org", "--practice",
                    "Lakeside Family Medicine", password="a long password")  # fmt: skip
    assert code == 0, out
    code, out = run(app, "create-user", "john@example.org", "--practice", "1",
                    password="another long one")  # fmt: skip
    assert code == 0, out
    with app.app_context():
        users = db.session.scalars(
            select(models.User).order_by(models.User.email)
        ).all()
        assert [u.email for u in users] == ["john@example.org", "maria@example.org"]
        assert {u.practice_ref.name for u in users if u.practice_ref} == {
            "Lakeside Family Medicine"
        }
        assert users[1].check_password("a long password")
    listing = run(app, "list-users")[1]
    assert "maria@example.org\tLakeside Family Medicine\tprofile incomplete" in listing


def test_admin_refuses_duplicates_unknown_practices_and_short_passwords(
    app: Flask,
) -> None:
    assert run(app, "create-practice", "Lakeside")[0] == 0
    assert run(app, "create-practice", "Lakeside")[0] == 1
    assert run(app, "create-user", "a@example.org", "--practice", "Nowhere",
               password="long enough pw")[0] == 1  # fmt: skip
    code, out = run(app, "create-user", "a@example.org", "--practice", "Lakeside",
                    password="short")  # fmt: skip
    assert code == 2 and "at least 10 characters" in out
    with app.app_context():
        assert db.session.scalars(select(models.User)).all() == []


def test_admin_resets_a_password(app: Flask) -> None:
    assert run(app, "create-practice", "Lakeside")[0] == 0
    run(
        app,
        "create-user",
        "a@example.org",
        "--practice",
        "Lakeside",
        password="first password",
    )
    code, out = run(app, "reset-password", "A@example.org", password="second password")
    assert code == 0, out
    with app.app_context():
        user = db.session.scalars(select(models.User)).one()
        assert user.check_password("second password")
        assert not user.check_password("first password")
    assert (
        run(app, "reset-password", "nobody@example.org", password="whatever long")[0]
        == 1
    )


def test_new_ids_can_be_given_as_command_arguments() -> None:
    ids = [models.new_id() for _ in range(2000)]
    assert all(len(i) == 32 and i.isalnum() and i.islower() for i in ids)
    assert len(set(ids)) == len(ids)


def test_admin_revokes_a_key_whose_old_id_starts_with_a_dash(app: Flask) -> None:
    assert run(app, "create-practice", "Lakeside")[0] == 0
    with app.app_context():
        practice = db.session.scalars(select(models.Practice)).one()
        db.session.add(
            models.ApiKey(id="-Xq1legacy", practice_id=practice.id, name="EHR",
                          prefix="rxa_", key_hash="0" * 64)
        )  # fmt: skip
        db.session.commit()
    code, out = run(app, "revoke-api-key", "--", "-Xq1legacy")
    assert code == 0, out
    with app.app_context():
        assert db.session.get(models.ApiKey, "-Xq1legacy").revoked_at is not None


def test_admin_creates_an_api_key_that_the_api_accepts(app: Flask) -> None:
    assert run(app, "create-practice", "Lakeside")[0] == 0
    code, out = run(app, "create-api-key", "--practice", "Lakeside", "--name", "EHR")
    assert code == 0, out
    secret = next(line for line in out.splitlines() if line.startswith("rxa_"))
    listed = app.test_client().get(
        "/api/v1/prescriptions", headers={"Authorization": f"Bearer {secret}"}
    )
    assert listed.status_code == 200
    with app.app_context():
        stored = db.session.scalars(select(models.ApiKey)).one()
        assert secret not in (stored.key_hash, stored.id, stored.prefix)


def test_admin_refuses_common_passwords_when_creating_and_resetting(
    app: Flask,
) -> None:
    assert run(app, "create-practice", "Lakeside")[0] == 0
    code, out = run(app, "create-user", "a@example.org", "--practice", "Lakeside",
                    password="password12")  # fmt: skip
    assert code == 2 and "most common" in out
    assert run(app, "create-user", "a@example.org", "--practice", "Lakeside",
               password="first password")[0] == 0  # fmt: skip
    code, out = run(app, "reset-password", "a@example.org", password="1234567890")
    assert code == 2 and "run of keys" in out
    with app.app_context():
        assert (
            db.session.scalars(select(models.User))
            .one()
            .check_password("first password")
        )


def test_admin_password_reset_signs_the_physician_out_everywhere(app: Flask) -> None:
    from tests import factories

    factories.physician(app)
    doctor = factories.signed_in(app.test_client())
    assert doctor.client.get("/drafts").status_code == 200
    code, out = run(
        app, "reset-password", "maria@example.org", password="kayak dusk 42"
    )
    assert code == 0, out
    assert doctor.client.get("/drafts").status_code == 302
