"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for the e-mail tests."""
import email
import email.policy
import socket
import threading
import time

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """aiosmtpd handler: every message received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

    def wait_for(self, count: int, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield sink, controller.port
    controller.stop()


def configure_mail(app, port: int, server: str = "127.0.0.1") -> None:
    """Point the app's Flask-Mailman at a server (after create_app, as a deployment's config would)."""
    from app.extensions import mail

    app.config.update(MAIL_SERVER=server, MAIL_PORT=port, MAIL_TIMEOUT=5,
                      MAIL_DEFAULT_SENDER="customs-maturity@eec.example")
    mail.init_app(app)
