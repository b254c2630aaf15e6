"""Password hashing (argon2id) and the password policy."""
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

_REJECTED_FILE = Path(__file__).with_name("rejected_passwords.txt")
_rejected: frozenset[str] | None = None


def _hasher() -> PasswordHasher:
    if current_app.config.get("ARGON2_FAST"):
        # Tests only: the same algorithm (argon2id) with a tiny cost, so the suite stays quick.
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()  # argon2id with the library's recommended parameters


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash (never raises on a mismatch)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def rejected_passwords() -> frozenset[str]:
    """Common passwords that are refused whatever their length."""
    global _rejected
    if _rejected is None:
        lines = _REJECTED_FILE.read_text(encoding="utf-8").splitlines()
        _rejected = frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))
    return _rejected


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a proposed password; empty when it is acceptable."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_("The password must be at least %(n)d characters long.", n=minimum))
    lowered = password.lower()
    if lowered in rejected_passwords() or len(set(lowered)) < 4:
        problems.append(_("This password is too common or too simple; choose another."))
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (len(name) >= 4 and name.lower() in lowered):
        problems.append(_("The password must not contain your name or e-mail address."))
    return problems
