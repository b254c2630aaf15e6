"""The optional TOTP second factor (RFC 6238, 30-second codes, one step of clock drift allowed)."""
from __future__ import annotations

import pyotp
import segno
from flask import current_app

from app import audit
from app.extensions import db
from app.models import User

ISSUER = "Digital Customs Maturity"


def new_secret() -> str:
    return pyotp.random_base32()


def verify(secret: str | None, code: str) -> bool:
    """Whether the 6-digit code is valid now for this secret."""
    code = (code or "").replace(" ", "")
    return bool(secret) and code.isdigit() and len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def qr_data_uri(user: User, secret: str) -> str:
    """An SVG QR code of the provisioning URI, as a data: URI (allowed by the CSP for images)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=4)


def required_for(user: User) -> bool:
    """Staff must use the second factor when the configuration says so."""
    return bool(current_app.config.get("REQUIRE_TOTP_FOR_STAFF")) and user.role in ("analyst", "admin")


def enable(user: User, secret: str, code: str) -> bool:
    """Turn the second factor on if the code proves the authenticator app holds the secret; commits."""
    if not verify(secret, code):
        return False
    user.totp_secret = secret
    audit.record("totp.enable", user=user, target=user.email)
    db.session.commit()
    return True


def disable(user: User, code: str) -> bool:
    """Turn the second factor off (refused when it is mandatory for the user); commits."""
    if required_for(user) or not verify(user.totp_secret, code):
        return False
    user.totp_secret = None
    audit.record("totp.disable", user=user, target=user.email)
    db.session.commit()
    return True
