"""Who acts in a web request, for the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

import models
from services.audit import CLI_ADDRESS, Actor


def actor(*, user: models.User | None = None) -> Actor:
    """The signed-in physician (or ``user``) at the request's address."""
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()  # noqa: SLF001 - the User, not a proxy
    return Actor(user=user, ip=_address())


def api_actor(
    *,
    key: models.ApiKey | None = None,
    token: models.PersonalToken | None = None,
    user: models.User | None = None,
) -> Actor:
    """An API key (acting for ``user``, if named) or a personal token (for its
    physician), never whoever is signed in to the browser."""
    if token is not None:
        return Actor(
            user=token.user, token_id=token.id, token_name=token.name, ip=_address()
        )
    return Actor(
        user=user,
        api_key_id=key.id if key else None,
        api_key_name=key.name if key else "",
        ip=_address(),
    )


def anonymous() -> Actor:
    """Someone with no account (a patient with a link) at the request's address."""
    return Actor(ip=request.remote_addr or "")


def _address() -> str:
    return (request.remote_addr or "") if has_request_context() else CLI_ADDRESS
