"""Who acts in a web request, for the audit log."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

import models
from services.audit import CLI_ADDRESS, Actor


def actor(*, api_key_id: str | None = None, user: models.User | None = None) -> Actor:
    """The signed-in physician (or ``user``) or an API key, at the request's address."""
    if user is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()  # noqa: SLF001 - the User, not a proxy
    ip = (request.remote_addr or "") if has_request_context() else CLI_ADDRESS
    return Actor(user=user, api_key_id=api_key_id, ip=ip)


def anonymous() -> Actor:
    """Someone with no account (a patient with a link) at the request's address."""
    return Actor(ip=request.remote_addr or "")
