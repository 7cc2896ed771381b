"""The practice: first-run setup, its members page, invitations and confirmations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

import models
from extensions import db
from forms.members import AcceptInvitationForm, InviteForm, SetupForm
from rxassist.schema import MAX_ROW_ID
from services import members, urls
from services.members import NewAccount
from views.actors import actor

bp = Blueprint("practice", __name__)


@bp.after_request
def _private(response: Any) -> Any:
    """Pages that carry account tokens leak nothing through referrers or caches."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store, max-age=0"
    return response


def _admin() -> models.User:
    """The signed-in practice administrator, else 403."""
    user: models.User = current_user._get_current_object()  # type: ignore[attr-defined]
    if not user.is_admin or user.practice_id is None:
        abort(403)
    return user


@bp.get("/practice/members")
@login_required
def members_page() -> Any:
    """The practice's physicians, their confirmation, and invitations."""
    return _members_page(_admin(), InviteForm(formdata=None))


def _members_page(
    admin: models.User,
    form: InviteForm,
    new_link: tuple[models.Invitation, str] | None = None,
    status: int = 200,
) -> Any:
    assert admin.practice_id is not None  # noqa: S101 - _admin checked it
    return (
        render_template(
            "practice/members.html",
            practice=admin.practice_ref,
            people=members.members(admin.practice_id),
            confirmer=members.confirmer,
            invitations=members.pending_invitations(admin.practice_id),
            form=form,
            new_link=new_link,
        ),
        status,
    )


@bp.post("/practice/invitations")
@login_required
def invite() -> Any:
    """Invite a physician; the link is shown this once (no email is sent)."""
    admin = _admin()
    form = InviteForm()
    if not form.validate_on_submit():
        return _members_page(admin, form, status=422)
    assert admin.practice_id is not None  # noqa: S101 - _admin checked it
    invitation, token = members.invite(admin.practice_id, form.email.data, actor())
    link = urls.absolute("practice.accept", token=token)
    # Rendered, not redirected: the token must never sit in a cookie or a URL.
    return _members_page(admin, InviteForm(formdata=None), (invitation, link))


def _member(user_id: int) -> models.User:
    if user_id > MAX_ROW_ID:
        abort(404)
    member = db.session.get(models.User, user_id)
    if member is None or member.practice_id != current_user.practice_id:
        abort(404)
    return member


@bp.post("/practice/members/<int:user_id>/confirm")
@login_required
def confirm(user_id: int) -> Any:
    """Confirm a physician's identity and NPI: from now on they may sign."""
    admin = _admin()
    member = _member(user_id)
    # The NPI the administrator saw and checked, not whatever the profile holds now.
    seen_npi = request.form.get("npi", "")
    refused = members.confirm(member, admin, actor(), seen_npi)
    if refused:
        flash(refused, "error")
    else:
        flash(
            f"{member.email} confirmed with NPI {member.npi}: they may sign.", "success"
        )
    return redirect(url_for("practice.members_page"))


@bp.post("/practice/members/<int:user_id>/revoke")
@login_required
def revoke(user_id: int) -> Any:
    """Withdraw a physician's confirmation: they cannot sign until confirmed again."""
    admin = _admin()
    member = _member(user_id)
    refused = members.revoke(member, admin, actor())
    flash(
        refused or f"{member.email} can no longer sign.", "error" if refused else "info"
    )
    return redirect(url_for("practice.members_page"))


@bp.post("/practice/invitations/<invitation_id>/withdraw")
@login_required
def withdraw(invitation_id: str) -> Any:
    """Withdraw a pending invitation: its link opens nothing from now on."""
    admin = _admin()
    invitation = members.withdraw_invitation(invitation_id, admin, actor())
    if invitation is None:
        abort(404)
    flash(f"The invitation for {invitation.email} is withdrawn.", "info")
    return redirect(url_for("practice.members_page"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept(token: str) -> Any:
    """An invited physician makes their account (unconfirmed until an administrator
    confirms it)."""
    invitation = members.open_invitation(token)
    if invitation is None:
        abort(404)
    form = AcceptInvitationForm()
    form.account_email = invitation.email
    if form.validate_on_submit():
        account = NewAccount(invitation.email, form.password.data, form.identity())
        errors = members.accept(invitation, account)
        if not errors:
            flash(
                f"Your account is ready: log in. An administrator of "
                f"{invitation.practice.name} confirms your identity and NPI before "
                "you can sign.",
                "success",
            )
            return redirect(url_for("auth.login"))
        _attach(form, errors)
    return render_template("practice/accept.html", form=form, invitation=invitation)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Any:
    """The first visitor of a fresh install creates the practice and its
    administrator; afterwards this address is gone (404)."""
    link = members.open_setup(token)
    if link is None:
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        account = NewAccount(
            form.email.data or "", form.password.data or "", form.identity()
        )
        name = (form.practice_name.data or "").strip()
        errors = members.set_up(link, name, account, bool(form.physician.data))
        if not errors:
            flash(f"{name} is set up: log in as its administrator.", "success")
            return redirect(url_for("auth.login"))
        _attach(form, errors)
    return render_template("practice/setup.html", form=form)


def _attach(form: Any, errors: dict[str, str]) -> None:
    """Show the service's refusals beside their fields (or above the form)."""
    for name, message in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message, "error")
