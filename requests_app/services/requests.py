"""Create requests: references and unguessable reply tokens."""

import secrets
import string

from django.db import transaction

from requests_app.models import Campaign, FoiRequest, Force
from requests_app.users import acting_user

from .state import refresh_state

TOKEN_ALPHABET = string.ascii_lowercase + string.digits
TOKEN_LENGTH = 16


def new_reply_token() -> str:
    """16 characters from a 36-letter alphabet: about 82 bits, not guessable."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def reference_for(force: Force, campaign: Campaign | None) -> str:
    if campaign is not None:
        return f"{campaign.slug}/{force.pk}"
    return f"req/{force.pk}/{secrets.token_hex(3)}"


@transaction.atomic
def create_request(
    *, force: Force, subject: str, body: str = "", campaign: Campaign | None = None, user=None
) -> FoiRequest:
    request = FoiRequest.objects.create(
        force=force,
        campaign=campaign,
        reference=reference_for(force, campaign),
        subject=subject,
        body=body,
        reply_token=new_reply_token(),
        created_by=acting_user(user),
    )
    refresh_state(request)
    return request
