"""Creating users and checking their credentials."""
import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

from app import audit
from app.extensions import db
from app.models import NATIONAL_ROLES, ROLES, Country, User
from app.services.passwords import hash_password, password_problems, verify_password

# Verifying against this when the e-mail is unknown keeps the response time the same.
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def create_user(*, email: str, name: str, role: str, password: str, country_code: str | None = None,
                is_demo: bool = False) -> User:
    """Create a user after checking role, country and password policy; commits."""
    email = email.strip().lower()
    country_code = country_code.strip().upper() if country_code else None
    _check_new_user(email, role, country_code)
    problems = password_problems(password, email=email, name=name)
    if problems:
        raise AccountError(" ".join(problems))
    user = User(email=email, name=name.strip() or email, role=role, country_code=country_code,
                password_hash=hash_password(password), is_demo=is_demo, session_token=new_session_token())
    db.session.add(user)
    audit.record("user.create", after={"email": email, "role": role, "country": country_code})
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same e-mail created at the same moment: the unique index decides
        db.session.rollback()
        raise AccountError(_("A user with the e-mail %(email)s already exists.", email=email)) from None
    return user


def _check_new_user(email: str, role: str, country_code: str | None) -> None:
    if "@" not in email or len(email) > 254:
        raise AccountError(_("Enter a valid e-mail address."))
    if role not in ROLES:
        raise AccountError(_("Unknown role %(role)s; use one of %(roles)s.", role=role, roles=", ".join(ROLES)))
    if role in NATIONAL_ROLES and not country_code:
        raise AccountError(_("A %(role)s must belong to a country (--country).", role=role))
    if role not in NATIONAL_ROLES and country_code:
        raise AccountError(_("An %(role)s does not belong to a country.", role=role))
    if country_code and db.session.get(Country, country_code) is None:
        raise AccountError(_("Unknown country code %(code)s.", code=country_code))
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise AccountError(_("A user with the e-mail %(email)s already exists.", email=email))


def set_active(admin: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once; commits."""
    if user.id == admin.id and not active:
        raise AccountError(_("You cannot disable your own account."))
    user.active = active
    if not active:
        user.session_token = new_session_token()
    audit.record("user.enable" if active else "user.disable", user=admin, target=user.email)
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; records the attempt in the audit log."""
    email = (email or "").strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        verify_password(_dummy_hash(), password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if ok:
        user.last_login_at = datetime.now(timezone.utc)
        audit.record("login.success", user=user, target=email)
    else:
        audit.record("login.failure", user=user, target=email,
                     after={"reason": "disabled" if user is not None and not user.active else "credentials"})
    db.session.commit()
    return user if ok else None


def record_failed_second_factor(user: User) -> None:
    """A wrong TOTP code after a correct password; commits."""
    audit.record("login.failure", user=user, target=user.email, after={"reason": "second factor"})
    db.session.commit()


def _dummy_hash() -> str:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH["hash"]


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token, so stale sessions end."""
    raw_id, _sep, token = (user_id or "").partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def set_language(user: User | None, lang: str) -> None:
    """Remember a logged-in user's language choice."""
    if user is not None and user.is_authenticated:
        user.language = lang
        db.session.commit()
