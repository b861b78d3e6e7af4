"""A real SMTP server on loopback (aiosmtpd) for tests, with Django pointed at it."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def loopback_smtp(handler, settings=None) -> Iterator[int]:
    """Serve ``handler`` on 127.0.0.1; with ``settings``, Django's SMTP backend uses it.

    Yields the port; the server stops when the block ends.
    """
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    if settings is not None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 10
    try:
        yield controller.port
    finally:
        controller.stop()
