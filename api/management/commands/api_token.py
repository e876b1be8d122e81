"""manage.py api_token <username> [--name NAME]: issue an API token and print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken


class Command(BaseCommand):
    help = "Skapar en API-nyckel för användaren och skriver ut den (den sparas bara som hash)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="Vilket system som ska använda nyckeln.")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Användaren {username!r} finns inte.")
        if not user.is_active:
            raise CommandError(f"Användaren {username!r} är inaktiv.")
        _token, secret = ApiToken.issue(user=user, name=name)
        self.stdout.write(secret)
