"""A user's API token (``Authorization: Token KEY``): the page and the command share these."""

from django.db import transaction
from rest_framework.authtoken.models import Token


def token_of(user) -> Token | None:
    return Token.objects.filter(user=user).first()


@transaction.atomic
def new_token(user) -> Token:
    """A fresh key for ``user``; the old one, if any, stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_token(user) -> bool:
    """Delete ``user``'s token; True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
