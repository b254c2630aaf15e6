"""Creating users, checking their credentials, and the password and second-factor lifecycle."""
import re
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import access, audit, text
from app.extensions import db
from app.models import Country, User, UserSession
from app.vocabulary import NATIONAL_ROLES, Role
from app.services import sessions, throttle
from app.services.passwords import hash_password, password_problems, verify_password

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Verifying against this when the e-mail is unknown keeps the response time the same.
_DUMMY_HASH: dict[str, str] = {}


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


def _check_admin(admin: User) -> None:
    """AccountError unless the acting user may manage other users' accounts (access.can_manage_accounts)."""
    if not access.can_manage_accounts(admin):
        raise AccountError(_("Only administrators manage user accounts."))


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def create_user(*, email: str, name: str, role: str, password: str, country_code: str | None = None,
                is_demo: bool = False) -> User:
    """Create a user after checking role, country and password policy; commits.

    E-mail and name are cleaned as every text at entry (app.text): one line, no control characters;
    NUL or invalid Unicode is refused (the command line reaches here without a form).
    """
    email, name = _one_line(email, "email").lower(), _one_line(name, "name")
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


def _one_line(value: str, kind: str) -> str:
    try:
        return text.clean(value, text.LIMITS[kind], multiline=False)
    except text.TextRefused as error:
        raise AccountError(text.message(error)) from None


def _check_new_user(email: str, role: str, country_code: str | None) -> None:
    if "@" not in email or len(email) > 254:
        raise AccountError(_("Enter a valid e-mail address."))
    if role not in tuple(Role):
        raise AccountError(_("Unknown role %(role)s; use one of %(roles)s.", role=role, roles=", ".join(Role)))
    if role in NATIONAL_ROLES and not country_code:
        raise AccountError(_("A %(role)s must belong to a country (--country).", role=role))
    if role not in NATIONAL_ROLES and country_code:
        raise AccountError(_("An %(role)s does not belong to a country.", role=role))
    if country_code and db.session.get(Country, country_code) is None:
        raise AccountError(_("Unknown country code %(code)s.", code=country_code))
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise AccountError(_("A user with the e-mail %(email)s already exists.", email=email))


def set_active(admin: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once; commits. AccountError for a
    non-administrator or for disabling one's own account."""
    _check_admin(admin)
    if user.id == admin.id and not active:
        raise AccountError(_("You cannot disable your own account."))
    user.active = active
    if not active:
        user.session_token = new_session_token()
        sessions.end_all(user, sessions.DISABLED)
    audit.record("user.enable" if active else "user.disable", user=admin, target=user.email)
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None; records the attempt in the audit log; commits.

    Every attempt is first counted by the per-account guard (app.services.throttle), which raises
    AccountLocked without checking the password when the login name is locked. The count is
    cleared only when a session starts, i.e. after the second factor too.
    """
    email = (email or "").strip().lower()
    if _CONTROL.search(email):  # no account has such a name, and PostgreSQL cannot even compare it
        verify_password(_dummy_hash(), password)
        audit.record("login.failure", target=_CONTROL.sub("?", email)[:254], after={"reason": "credentials"})
        db.session.commit()
        return None
    user = db.session.scalar(sa.select(User).where(User.email == email))
    try:
        throttle.count_attempt(email)
    except throttle.AccountLocked as locked:
        audit.record("login.failure", user=user, target=email,
                     after={"reason": "locked", "locked_until": locked.until.isoformat()})
        db.session.commit()
        raise
    reason = _refusal(user, password)
    if reason is None:
        user.last_login_at = datetime.now(timezone.utc)
        audit.record("login.success", user=user, target=email)
    else:
        after = {"reason": reason}
        if (until := throttle.locked_until(email)) is not None:
            after["locked_until"] = until.isoformat()
        audit.record("login.failure", user=user, target=email, after=after)
    db.session.commit()
    return user if reason is None else None


def _refusal(user: User | None, password: str) -> str | None:
    """Why these credentials do not log in, or None when they do."""
    if user is None:
        verify_password(_dummy_hash(), password)
        return "credentials"
    if not verify_password(user.password_hash, password):
        return "credentials"
    if not user.active:
        return "disabled"
    if user.temporary_password_until is not None and user.temporary_password_until <= datetime.now(timezone.utc):
        return "temporary password used or expired"
    return None


def record_failed_second_factor(user: User, locked: datetime | None = None) -> None:
    """A wrong TOTP code after a correct password (or a code refused unread: locked until); commits."""
    after = {"reason": "second factor"} if locked is None else {"reason": "locked", "locked_until": locked.isoformat()}
    audit.record("login.failure", user=user, target=user.email, after=after)
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """The user changes their own password: the current one is required and the policy applies; raises
    AccountError; commits.

    Every session of the user ends, the current one included: the view starts a fresh one, so that
    even a copy of the current cookie stops working.
    """
    try:  # guessing the current password from a stolen session meets the same per-account guard as the login
        throttle.count_attempt(user.email)
    except throttle.AccountLocked:
        audit.record("password.change.refused", user=user, target=user.email, after={"reason": "locked"})
        db.session.commit()
        raise AccountError(_("Too many wrong passwords for this account. Try again later.")) from None
    if not verify_password(user.password_hash, current or ""):
        audit.record("password.change.refused", user=user, target=user.email, after={"reason": "current password"})
        db.session.commit()
        raise AccountError(_("The current password is not correct."))
    throttle.succeeded(user.email)
    problems = password_problems(new, email=user.email, name=user.name)
    if verify_password(user.password_hash, new):
        problems.append(_("The new password must differ from the current one."))
    if problems:
        raise AccountError(" ".join(problems))
    user.password_hash = hash_password(new)
    user.must_change_password, user.temporary_password_until = False, None
    ended = sessions.end_all(user, sessions.PASSWORD_CHANGE)
    audit.record("password.change", user=user, target=user.email, after={"sessions_ended": ended})
    db.session.commit()


def set_temporary_password(admin: User, user: User) -> str:
    """An administrator gives the user a random one-time password (returned, to hand over out of band);
    it works for one login within TEMPORARY_PASSWORD_HOURS and must then be changed; the user's sessions
    end and a login lock is lifted; commits. AccountError for a non-administrator."""
    _check_admin(admin)
    temporary = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.temporary_password_until = datetime.now(timezone.utc) + timedelta(
        hours=current_app.config["TEMPORARY_PASSWORD_HOURS"])
    user.session_token = new_session_token()
    ended = sessions.end_all(user, sessions.ADMIN_RESET)
    throttle.lift(user.email)
    audit.record("password.reset", user=admin, target=user.email,
                 after={"temporary_until": user.temporary_password_until.isoformat(), "sessions_ended": ended})
    db.session.commit()
    return temporary


def reset_second_factor(admin: User, user: User) -> None:
    """An administrator removes a lost second factor; the user enrols again at the next login (if their role
    requires it) and their sessions end; commits. AccountError for a non-administrator."""
    _check_admin(admin)
    had = user.totp_secret is not None
    user.totp_secret, user.totp_last_step = None, None
    user.session_token = new_session_token()
    ended = sessions.end_all(user, sessions.ADMIN_RESET)
    audit.record("totp.reset", user=admin, target=user.email, after={"was_enrolled": had, "sessions_ended": ended})
    db.session.commit()


def lift_lock(admin: User, user: User) -> bool:
    """An administrator lifts the login lock of an account; whether there was one; commits. AccountError for
    a non-administrator."""
    _check_admin(admin)
    was_locked = throttle.lift(user.email)
    audit.record("login.unlock", user=admin, target=user.email, after={"was_locked": was_locked})
    db.session.commit()
    return was_locked


def _dummy_hash() -> str:
    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = hash_password(secrets.token_hex(16))
    return _DUMMY_HASH["hash"]


def get_user(user_id: int) -> User | None:
    """The user with this id, or None."""
    return db.session.get(User, user_id)


def all_users() -> list[User]:
    """Every account for the administration page: EEC staff (no country) first, then by country and e-mail."""
    return list(db.session.scalars(sa.select(User).order_by(User.country_code.nulls_first(), User.email)))


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries the session token, so stale sessions end."""
    return load_user_and_session(user_id, None)[0]


def load_user_and_session(user_id: str, session_token: str | None) -> tuple[User | None, UserSession | None]:
    """The user of a Flask-Login id ("<id>:<account token>") and the server-side session row of the cookie's
    session token, read in one query (app.services.sessions.load).

    The user is None when the id is malformed or its account token is no longer the user's (password
    changed, account disabled), so stale sessions end; the row is None when missing or not the user's.
    """
    raw_id, _sep, token = (user_id or "").partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()) or not token:
        return None, None
    user, row = sessions.load(int(raw_id), session_token)
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None, None
    return user, row


def set_language(user: User | None, lang: str) -> None:
    """Remember a logged-in user's language choice."""
    if user is not None and user.is_authenticated:
        user.language = lang
        db.session.commit()


def end_other_sessions(user: User, keep_token: str | None) -> int:
    """The user ends all their sessions but the current one; returns how many ended; commits."""
    ended = sessions.end_all(user, sessions.ENDED_BY_USER, keep_token=keep_token)
    audit.record("session.end_others", user=user, target=user.email, after={"sessions_ended": ended})
    db.session.commit()
    return ended
