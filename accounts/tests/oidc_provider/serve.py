"""Run the test provider: ``python -m accounts.tests.oidc_provider.serve DB REDIRECT_URI``.

Creates the database, one person and one client, then serves on a free port of 127.0.0.1 and
prints ``PORT <n>`` when ready. The person and client are fixed: see ``PERSON`` and ``CLIENT``.
"""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PERSON = {
    "username": "anna",
    "password": "anna-lösen",
    "email": "Anna.Andersson@kommun.example",
    "first_name": "Anna",
    "last_name": "Andersson",
    "groups": ["styrkort-miljo-redaktor", "en-annan-grupp"],
}
CLIENT = {"client_id": "styrkort", "client_secret": "styrkort-hemlighet"}


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(db: str, redirect_uri: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_DB"] = db
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["DJANGO_SETTINGS_MODULE"] = "accounts.tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    person = dict(PERSON)
    groups = person.pop("groups")
    user = User.objects.create_user(**person)
    user.groups.set(Group.objects.get_or_create(name=name)[0] for name in groups)
    Application.objects.create(
        name="Styrkort",
        redirect_uris=redirect_uri,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        **CLIENT,
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), ThreadingServer, handler_class=QuietHandler
    )
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
