"""A real SMTP server on 127.0.0.1 (aiosmtpd) that refuses mail as told, then accepts it."""

from contextlib import contextmanager
from email import message_from_bytes

from aiosmtpd.controller import Controller

from tests.servers import free_port


class FlakyHandler:
    """Answers the first `refusals` mails with `refusal` (451: try again later), then accepts and keeps them."""

    def __init__(self, refusals=0, refusal="451 4.3.0 Mail server busy, try again later"):
        self.refusals = refusals
        self.refusal = refusal
        self.refused = 0
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refusals:
            self.refused += 1
            return self.refusal
        self.received.append(envelope)
        return "250 OK"


def mail_text(envelope):
    """The text of a (single-part) mail the server received, its transfer encoding undone."""
    return message_from_bytes(envelope.content).get_payload(decode=True).decode()


@contextmanager
def smtp_server(handler):
    """Serve `handler` on a free 127.0.0.1 port; yields the port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()
