"""The one check for where a redirect may go after login, a language switch or any other `next` value."""
import re
from urllib.parse import unquote, urlsplit

# Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so "/\t/evil.example" and
# "/\\evil.example" both lead off-site; such values are refused outright rather than cleaned.
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")
MAX_LENGTH = 2000


def is_safe_path(target: object) -> bool:
    """Whether target is a path on this site ("/..."), never another host, whatever its spelling.

    Refused: anything not starting with exactly one "/", control characters, spaces and backslashes
    (also percent-encoded), a scheme or a host, and values longer than MAX_LENGTH.
    """
    if not isinstance(target, str) or not target or len(target) > MAX_LENGTH:
        return False
    for spelling in (target, unquote(target), unquote(unquote(target))):
        if _UNSAFE.search(spelling) or not spelling.startswith("/") or spelling.startswith("//"):
            return False
        parts = urlsplit(spelling)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: object, default: str) -> str:
    """target when it is a safe local path (is_safe_path), else default."""
    return target if is_safe_path(target) else default


def local_path(url: object, host_url: str) -> str | None:
    """The path of an absolute URL of this site (`host_url`, e.g. "https://host/"), if is_safe_path allows it; else None.

    For links back to where a user came from (the Referer header), which browsers send absolute.
    """
    if not isinstance(url, str) or not url.startswith(host_url):
        return None
    path = "/" + url[len(host_url):]
    return path if is_safe_path(path) else None
