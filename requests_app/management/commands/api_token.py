"""Create, show, replace or revoke a user's API token (``Authorization: Token KEY``)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from requests_app.services.tokens import new_token, revoke_token


class Command(BaseCommand):
    help = (
        "Print USERNAME's API token (the key alone on stdout), creating it if they have none; "
        "--new replaces it with a fresh one, --revoke deletes it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--revoke", action="store_true", help="delete the token: clients using it get 401"
        )
        action.add_argument("--new", action="store_true", help="replace the token with a fresh key")

    @transaction.atomic
    def handle(self, *args, username, revoke, new, **options):
        model = get_user_model()
        user = model.objects.filter(**{model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if revoke:
            deleted = revoke_token(user)
            self.stderr.write(
                f"Revoked {username}'s API token." if deleted else f"{username} had no API token."
            )
            return
        if not user.is_active:
            raise CommandError(f"{username} is inactive: a token would not let them in.")
        if new:
            token, created = new_token(user), True
        else:
            token, created = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
        if created:
            self.stderr.write(f"Created an API token for {username}.")
