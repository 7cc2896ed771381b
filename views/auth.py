"""Accounts: register, log in, log out, the prescriber profile and personal tokens."""

from __future__ import annotations

import time
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

import models
from extensions import codeset, db, limiter
from forms.auth import (
    LoginForm,
    PasswordChangeForm,
    PersonalTokenForm,
    ProfileForm,
    RegisterForm,
    SignatureImageForm,
)
from rxassist import signature_image
from rxassist.accounts import MAX_EMAIL, REGISTRATION_CLOSED
from rxassist.signature_image import SignatureImageError
from services import (
    accounts,
    members,
    rendering,
    sessions,
    signature_images,
    tokens,
)
from services.links import token_hash
from views.actors import actor

bp = Blueprint("auth", __name__)
MAX_NEXT = 2000  # a longer "next" is no link this app made


def _safe_next(target: str | None) -> str | None:
    r"""A same-site path to follow after login, or None (then the caller goes home).

    Browsers read "//host", "/\\host" and "/\t/host" as another site, and a CR or
    LF cannot go in a Location header: only a plain path of printable characters passes.
    """
    if not target or len(target) > MAX_NEXT:
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return target


REGISTERED = (
    "If this email had no account, it has one now: log in with the password you chose."
)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register() -> Any:
    """Create a physician account, then send the physician to log in.

    A taken email gets the same answer, after the same hashing work, so the form
    tells no one which addresses have accounts (README: Accounts).
    """
    if not current_app.config["RX_SELF_REGISTRATION"]:
        # Accounts come from the first-run setup and invitations (README: Accounts).
        page = render_template("auth/register_closed.html", message=REGISTRATION_CLOSED)
        return page, 403 if request.method == "POST" else 200
    form = RegisterForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        accounts.register(email, form.password.data or "")
        flash(REGISTERED, "success")
        return redirect(url_for("auth.login", next=url_for("auth.profile")))
    return render_template("auth/register.html", form=form)


PROVED_AT = "proved_at"


def password_typed() -> None:
    """Remember when the physician last proved their password (to sign within it)."""
    session[PROVED_AT] = time.time()


def may_sign(password: str) -> str | None:
    """Why the signed-in physician may not sign now, or None when they may.

    Signing needs the password, unless it was typed a few minutes ago
    (RX_SIGN_WINDOW_SECONDS).
    """
    if password:
        if current_user.check_password(password):
            password_typed()
            return None
        return "That is not your password."
    typed = float(session.get(PROVED_AT) or 0)
    if time.time() - typed <= current_app.config["RX_SIGN_WINDOW_SECONDS"]:
        return None
    return "Enter your password to sign."


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _login_email() -> str:
    """The account a login names, from whatever body it came in (form or JSON)."""
    value: Any = request.form.get("email")
    if request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            body = None
        value = body.get("email") if isinstance(body, dict) else None
    return value.strip().lower()[:MAX_EMAIL] if isinstance(value, str) else ""


def _login_account() -> str:
    """Rate-limit key per account, whatever address or body the guesses come in."""
    return "login:" + _login_email()


def _failed(response: Any) -> bool:
    """Only refused logins count against the limits."""
    return bool(response.status_code != 302)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per 10 minutes", methods=["POST"], deduct_when=_failed)
@limiter.limit(
    "5 per 10 minutes", methods=["POST"], key_func=_login_account, deduct_when=_failed
)
def login() -> Any:
    """Log in with email and password."""
    if request.method == "POST" and request.mimetype not in FORM_TYPES:
        # Flask-WTF would read a JSON body too; the login is the HTML form only.
        abort(415)
    form = LoginForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip().lower()
        user = accounts.authenticate(email, form.password.data or "")
        if user is not None:
            _sign_in(user)
            return redirect(
                _safe_next(request.args.get("next")) or url_for("main.index")
            )
        form.password.errors = ["The email or password is not right."]
    return render_template("auth/login.html", form=form)


def _sign_in(user: models.User) -> None:
    """Start a new server-side session for ``user`` in this browser.

    The old cookie's contents go first, the CSRF secret with them (Flask-WTF keeps it
    under "csrf_token"): nothing a visitor held before the login is valid after it.
    """
    _end_this_session()
    session.clear()
    sessions.start(
        user, request.remote_addr or "", request.headers.get("User-Agent", "")
    )
    login_user(user)
    password_typed()


def _end_this_session() -> None:
    """Revoke this browser's server-side session, if it has one."""
    if current_user.is_authenticated:
        sessions.end(current_user.session_token)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"])
def change_password() -> Any:
    """Change the password (asks the current one); the other sessions end."""
    user: models.User = current_user._get_current_object()  # type: ignore[attr-defined]
    form = PasswordChangeForm(email=user.email)
    if form.validate_on_submit():
        if not user.check_password(form.current.data or ""):
            form.current.errors = ["That is not your current password."]
        else:
            accounts.change_password(
                user, form.password.data or "", actor(), keep=user.session_token
            )
            password_typed()
            flash("Password changed. Your other sessions are signed out.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form)


@bp.post("/logout")
def logout() -> Any:
    """Log out (POST, so a link elsewhere cannot log you out): the server-side
    session ends, so a copy of the cookie stops working too."""
    _end_this_session()
    logout_user()
    session.pop(PROVED_AT, None)
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    """The prescriber profile: what every prescription prints."""
    form = ProfileForm()
    if request.method == "GET":
        form.load({"prescriber": current_user.profile})
    elif form.validate_on_submit():
        document = form.dump({})
        if form.check(document, codeset.index()) and _saved(form, document):
            flash("Profile saved.", "success")
            return redirect(
                request.args.get("next_step")
                and _safe_next(request.args["next_step"])
                or url_for("wizard.drafts")
            )
    return _profile_page(form)


def _saved(form: ProfileForm, document: dict[str, Any]) -> bool:
    """Store the profile; False, with the reason beside its field, if it is refused."""
    user: models.User = current_user._get_current_object()  # type: ignore[attr-defined]
    was_confirmed = user.npi_confirmed
    errors = members.save_profile(user, document["prescriber"], actor())
    for key, message in errors.items():
        form[key].errors = [message]
    if not errors and was_confirmed and not user.npi_confirmed:
        flash(NPI_UNCONFIRMED, "info")
    return not errors


NPI_UNCONFIRMED = (
    "Your name, credentials, NPI or license changed: an administrator of your "
    "practice confirms them again before you can sign."
)


def _profile_page(
    form: ProfileForm,
    token_form: PersonalTokenForm | None = None,
    new_token: tuple[models.PersonalToken, str] | None = None,
    status: int = 200,
    signature_form: SignatureImageForm | None = None,
) -> Any:
    return (
        render_template(
            "auth/profile.html",
            form=form,
            token_form=token_form or PersonalTokenForm(formdata=None),
            tokens=tokens.personal_tokens(current_user),
            new_token=new_token,
            signature_form=signature_form or SignatureImageForm(formdata=None),
            signature_svg=rendering.svg_markup(signature_images.svg(current_user)),
            max_upload_kb=signature_image.MAX_UPLOAD_BYTES // 1024,
            open_sessions=sessions.live(
                current_user, sessions.Limits.of(current_app.config)
            ),
            this_session=token_hash(current_user.session_token),
        ),
        status,
    )


def _saved_profile_form() -> ProfileForm:
    """The profile form as stored, beside another form of the page."""
    form = ProfileForm(formdata=None)
    form.load({"prescriber": current_user.profile})
    return form


@bp.post("/profile/tokens")
@login_required
def create_token() -> Any:
    """Create a personal API token and show its secret this once."""
    form = _saved_profile_form()
    token_form = PersonalTokenForm()
    if not token_form.validate_on_submit():
        return _profile_page(form, token_form, status=422)
    made = tokens.new_personal_token(current_user, token_form.name.data or "", actor())
    # Rendered, not redirected: the secret must never sit in a cookie or a URL.
    return _profile_page(form, new_token=made)


@bp.post("/profile/tokens/<token_id>/revoke")
@login_required
def revoke_token(token_id: str) -> Any:
    """Revoke one of the physician's personal tokens at once."""
    token = (
        db.session.get(models.PersonalToken, token_id) if len(token_id) <= 32 else None
    )
    if token is None or token.user_id != current_user.id:
        abort(404)
    tokens.revoke_personal_token(token, actor())
    flash(f"Token “{token.name}” revoked: it no longer opens the API.", "success")
    return redirect(url_for("auth.profile") + "#tokens")


@bp.post("/profile/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Any:
    """End every session of the physician, this browser's too."""
    user: models.User = current_user._get_current_object()  # type: ignore[attr-defined]
    ended = sessions.sign_out_everywhere(user, actor())
    logout_user()
    flash(f"Signed out everywhere ({sessions.ended_text(ended)}).", "info")
    return redirect(url_for("auth.login"))


# A blank drawing is the physician's to redo, not a blank picture's.
EMPTY_DRAWING = "The drawing is empty: sign in the box, then save."


@bp.post("/profile/signature")
@login_required
def save_signature() -> Any:
    """Keep the drawn or uploaded signature image, re-encoded (never as sent)."""
    form = SignatureImageForm()
    if form.validate_on_submit():
        drawn = bool(form.drawing.data)
        field = form.drawing if drawn else form.image
        try:
            signature_images.save(current_user, _signature_sent(form), actor())
        except SignatureImageError as exc:
            blank = drawn and exc.kind in ("blank", "missing")
            field.errors = [EMPTY_DRAWING if blank else str(exc)]
        else:
            flash("Signature image saved: your prescriptions print it.", "success")
            return redirect(url_for("auth.profile") + "#signature")
    return _profile_page(_saved_profile_form(), signature_form=form, status=422)


def _signature_sent(form: SignatureImageForm) -> bytes:
    """The bytes of the drawing, else of the uploaded file (read to just past the
    limit, so that the domain can say it is too large)."""
    if form.drawing.data:
        return signature_image.from_data_url(form.drawing.data)
    upload = form.image.data
    if upload is None or not getattr(upload, "filename", ""):
        return b""
    try:
        return bytes(upload.read(signature_image.MAX_UPLOAD_BYTES + 1))
    finally:
        upload.close()


@bp.post("/profile/signature/remove")
@login_required
def remove_signature() -> Any:
    """Remove the signature image: prescriptions signed from now print none."""
    if signature_images.remove(current_user, actor()):
        flash("Signature image removed.", "success")
    return redirect(url_for("auth.profile") + "#signature")
