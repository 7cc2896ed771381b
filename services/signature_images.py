"""The physician's signature image: saved re-encoded, removed, and printed as SVG."""

from __future__ import annotations

import logging

import models
from extensions import db
from rxassist import signature_image
from services import audit

log = logging.getLogger(__name__)


def save(user: models.User, data: bytes, actor: audit.Actor) -> None:
    """Keep a clean re-encoding of the picture ``data`` as ``user``'s signature.

    Raises SignatureImageError, and then nothing changes.
    """
    png = signature_image.clean(data)
    user.signature_png = png
    user.signature_updated_at = models.utcnow()
    audit.record("signature image changed", None, actor, detail=f"{len(png)} bytes")
    db.session.commit()


def remove(user: models.User, actor: audit.Actor) -> bool:
    """Remove ``user``'s signature image; False when there was none."""
    if user.signature_png is None:
        return False
    user.signature_png = None
    user.signature_updated_at = models.utcnow()
    audit.record("signature image removed", None, actor)
    db.session.commit()
    return True


def svg(user: models.User) -> str | None:
    """``user``'s signature image as printable SVG, or None when there is none."""
    if user.signature_png is None:
        return None
    try:
        return signature_image.to_svg(user.signature_png)
    except signature_image.SignatureImageError:
        # Stored by ``save`` only, so unreadable bytes are damage: print the
        # statement alone rather than refuse to sign.
        log.warning("signature image of user %s cannot be read", user.id)
        return None
