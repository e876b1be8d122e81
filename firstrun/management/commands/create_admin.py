"""``manage.py create_admin``: the first administrator of a new instance (or another one).

Details come from options, else the command asks (on a terminal). The password comes from
``--password-file``, else the environment variable ``STYRKORT_ADMIN_PASSWORD``, else a prompt; it
is never an option, so it stays out of the shell history and the process list.

The person becomes Administratör at the top unit of the organisation. On an empty instance that
unit is created first, a kommun named after ``--municipality``, whose name also becomes the
municipality's name in the settings (changed later on the setup pages).
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from core.models import Designation
from firstrun import services
from organisation.models import OrgUnit

PASSWORD_ENV = "STYRKORT_ADMIN_PASSWORD"  # noqa: S105 - the variable's name


class Command(BaseCommand):
    help = "Skapar en administratör för hela kommunen (och kommunens toppenhet om den saknas)."

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Användarnamn för inloggningen.")
        parser.add_argument("--email", help="E-postadress.")
        parser.add_argument("--name", help="För- och efternamn, t.ex. 'Anna Andersson'.")
        parser.add_argument(
            "--password-file", help=f"Fil med lösenordet (annars {PASSWORD_ENV} eller frågan)."
        )
        parser.add_argument(
            "--municipality",
            help="Kommunens namn, t.ex. 'Tanums kommun': behövs när organisationen är tom.",
        )
        parser.add_argument(
            "--designation",
            choices=Designation.values,
            default="",
            help="kommun, stad eller region (när toppenheten skapas).",
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Fråga aldrig; saknade uppgifter är ett fel.",
        )

    def handle(self, *args, **options):
        interactive = options["interactive"] and sys.stdin.isatty()
        ask = self._asker(interactive)
        username = ask(options["username"], "Användarnamn", "--username")
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise CommandError(f"Användarnamnet '{username}' finns redan.")
        email = ask(options["email"], "E-postadress", "--email")
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"'{email}' är inte en giltig e-postadress.") from None
        name = ask(options["name"], "Namn (för- och efternamn)", "--name")
        unit = self._top_unit(options, ask)
        password = self._password(options, interactive, username, email, name)
        with transaction.atomic():
            if unit is None:
                unit = services.root_unit_create(
                    name=options["municipality"], designation=options["designation"]
                )
            user = services.admin_create(
                username=username, email=email, name=name, password=password, unit=unit
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{user.get_full_name()} ({username}) är administratör för {unit.name}. "
                "Logga in för att ställa in resten."
            )
        )

    def _asker(self, interactive: bool):
        def ask(value, prompt: str, option: str) -> str:
            value = (value or "").strip()
            while not value and interactive:
                value = input(f"{prompt}: ").strip()
            if not value:
                raise CommandError(f"{prompt} saknas: ange {option}.")
            return value

        return ask

    def _top_unit(self, options, ask) -> OrgUnit | None:
        """The existing top unit, or None when one is to be created from ``--municipality``."""
        roots = list(OrgUnit.objects.roots().order_by("pk")[:2])
        if len(roots) > 1:
            raise CommandError(
                "Organisationen har flera enheter högst upp; ge rollen på sidan Roller i stället."
            )
        if roots:
            return roots[0]
        options["municipality"] = ask(
            options["municipality"], "Kommunens namn (organisationen är tom)", "--municipality"
        )
        return None

    def _password(self, options, interactive: bool, *user_details) -> str:
        if path := options["password_file"]:
            try:
                with open(path, encoding="utf-8") as f:
                    password = f.readline().rstrip("\r\n")
            except OSError as error:
                raise CommandError(f"Lösenordsfilen kunde inte läsas: {error.strerror}.") from None
        elif PASSWORD_ENV in os.environ:
            password = os.environ[PASSWORD_ENV]
        elif interactive:
            password = getpass.getpass("Lösenord: ")
            if password != getpass.getpass("Lösenord igen: "):
                raise CommandError("Lösenorden är inte lika.")
        else:
            raise CommandError(f"Lösenord saknas: ange --password-file eller {PASSWORD_ENV}.")
        username, email, name = user_details
        probe = get_user_model()(username=username, email=email, first_name=name)
        try:
            validate_password(password, probe)
        except ValidationError as error:
            raise CommandError("Lösenordet duger inte: " + " ".join(error.messages)) from None
        return password
