"""The optional TOTP second factor (RFC 6238, 30-second codes, one step of clock drift allowed)."""
from __future__ import annotations

import hmac
from datetime import datetime, timezone

import pyotp
import sqlalchemy as sa
import segno
from flask import current_app

from app import audit
from app.extensions import db
from app.models import User
from app.services import throttle

ISSUER = "Digital Customs Maturity"


def new_secret() -> str:
    return pyotp.random_base32()


def matching_step(secret: str | None, code: str) -> int | None:
    """The time step (now, or one step of clock drift either way) whose code this is, or None."""
    code = (code or "").replace(" ", "")
    if not secret or not (code.isascii() and code.isdigit()) or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(timezone.utc))
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify(secret: str | None, code: str) -> bool:
    """Whether the 6-digit code is valid now for this secret."""
    return matching_step(secret, code) is not None


def verify_login(user: User, code: str) -> bool:
    """Check a login code and use it up: the same code (or an older one) is refused afterwards; commits."""
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    # compare-and-set in the database: of two logins with the same code at the same moment, one wins
    used = db.session.execute(sa.update(User).where(
        User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return used


def qr_data_uri(user: User, secret: str) -> str:
    """An SVG QR code of the provisioning URI, as a data: URI (allowed by the CSP for images)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def required_for(user: User) -> bool:
    """Staff must use the second factor when the configuration says so."""
    return bool(current_app.config.get("REQUIRE_TOTP_FOR_STAFF")) and user.role in ("analyst", "admin")


def enable(user: User, secret: str, code: str) -> bool:
    """Turn the second factor on if the code proves the authenticator app holds the secret; commits."""
    step = matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    audit.record("totp.enable", user=user, target=user.email)
    db.session.commit()
    return True


def disable(user: User, code: str) -> bool:
    """Turn the second factor off (refused when it is mandatory for the user); commits.

    The right code also clears the account's count of failed codes (app.services.throttle).
    """
    if required_for(user) or not verify(user.totp_secret, code):
        return False
    user.totp_secret, user.totp_last_step = None, None
    audit.record("totp.disable", user=user, target=user.email)
    throttle.succeeded(user.email)
    db.session.commit()
    return True
