"""Each request's reply address: where the force's answer comes back to us.

The address carries the request's reply token (16 random characters, about
82 bits: see ``services.requests.new_reply_token``), so it cannot be guessed
and an inbound message can be matched to its request from the address alone.
Two styles, chosen by ``settings.REPLY_ADDRESS_STYLE``:

- ``plus``: ``REPLY_MAILBOX+TOKEN@REPLY_DOMAIN`` (one mailbox with plus addressing);
- ``subdomain``: ``TOKEN@REPLY_DOMAIN`` (a catch-all on a domain kept for replies).
"""

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

STYLES = ("plus", "subdomain")
_TOKEN = r"[a-z0-9]{10,32}"


def _style() -> str:
    style = settings.REPLY_ADDRESS_STYLE
    if style not in STYLES:
        raise ImproperlyConfigured(
            f"REPLY_ADDRESS_STYLE is {style!r}; it must be one of {', '.join(STYLES)}."
        )
    return style


def reply_address(token: str) -> str:
    """The reply address for a request's ``reply_token``."""
    if not re.fullmatch(_TOKEN, token):
        raise ValueError(f"{token!r} is not a reply token (10 to 32 lower-case letters/digits).")
    domain = settings.REPLY_DOMAIN
    if _style() == "plus":
        return f"{settings.REPLY_MAILBOX}+{token}@{domain}"
    return f"{token}@{domain}"


def token_from_address(address: str) -> str | None:
    """The reply token an address carries, or None if it is not one of our reply addresses."""
    address = address.strip().strip("<>").lower()
    domain = re.escape(settings.REPLY_DOMAIN.lower())
    if _style() == "plus":
        pattern = rf"{re.escape(settings.REPLY_MAILBOX.lower())}\+({_TOKEN})@{domain}"
    else:
        pattern = rf"({_TOKEN})@{domain}"
    match = re.fullmatch(pattern, address)
    return match.group(1) if match else None
