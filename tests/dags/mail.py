"""A mail server on 127.0.0.1 for the alert tests (aiosmtpd), and the Airflow connection that points at it."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

SENDER = "wiredesk@127.0.0.1"
RECIPIENT = "desk@127.0.0.1"


class Mailbox:
    """The messages an SMTP server on 127.0.0.1 received, decoded."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()
        self._controller = Controller(self, hostname="127.0.0.1", port=_free_port())

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def __enter__(self) -> Mailbox:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self._controller.port)

    def connection_json(self) -> str:
        """An SMTP Airflow connection to this server, in the form `AIRFLOW_CONN_WIREDESK_ALERTS` takes."""
        extra = {"disable_ssl": True, "disable_tls": True, "from_email": SENDER, "to": RECIPIENT, "retry_limit": 0}
        return json.dumps({"conn_type": "smtp", "host": "127.0.0.1", "port": self.port, "extra": extra})

    def texts(self) -> list[tuple[str, str]]:
        """(subject, body) of each message received, in order."""
        return [(str(m["subject"]), m.get_body(("html", "plain")).get_content()) for m in self.messages]  # type: ignore[union-attr]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
