"""The production profile: ``check --deploy`` clean, security headers, no debug pages."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

BASE_DIR = Path(__file__).resolve().parents[2]


def _production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OIDC_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="styrkort.example.se",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL="sqlite:///:memory:",
        **extra,
    )
    return env


def test_check_deploy_is_clean_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_harden_cookies_and_transport():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_SSL_REDIRECT,"
        " s.X_FRAME_OPTIONS, s.SESSION_COOKIE_SAMESITE, s.DEBUG)"
    )
    result = subprocess.run(  # noqa: S603 - a fixed snippet, no outside input
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["True"] * 6 + ["DENY", "Lax", "False"], result.stderr


def test_pages_carry_a_csp_without_inline_scripts(client, db):
    response = client.get("/organisation/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives["style-src-elem"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script():
    """Scripts come from files only, so the policy can stay strict."""
    offenders = []
    for path in BASE_DIR.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text()
        for marker in ("<script>", "<script ", "javascript:", " onclick=", " onload=", "hx-on"):
            for line in text.splitlines():
                if marker in line and not ("<script src=" in line and "</script>" in line):
                    offenders.append(f"{path.relative_to(BASE_DIR)}: {line.strip()[:80]}")
    assert not offenders, "\n".join(offenders)


def test_htmx_is_configured_for_the_csp(client, db):
    page = client.get("/organisation/").content.decode()
    assert '"includeIndicatorStyles": false' in page
    assert '"allowEval": false' in page


def test_every_form_page_carries_a_csrf_token_for_htmx(client, world):
    client.force_login(world.editor)
    page = client.get("/organisation/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page


def test_posts_without_a_csrf_token_are_refused_in_swedish(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post("/uppfoljning/2026/skapa/", {})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/finns-inte/", 404, "Sidan finns inte"),
        ("/styrkort/999999/", 404, "Sidan finns inte"),
    ],
)
@override_settings(DEBUG=False)
def test_error_pages_are_swedish_and_not_debug_pages(client, db, url, status, text):
    response = client.get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert text in body
    assert "Traceback" not in body and "URLconf" not in body
    assert '<html lang="sv">' in body


@override_settings(DEBUG=False)
def test_the_server_error_page_is_swedish(db):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


@override_settings(DEBUG=False)
def test_the_forbidden_page_is_swedish(client, world):
    client.force_login(world.reader)
    response = client.get("/granskning/")
    assert response.status_code == 403
    assert "Du saknar behörighet" in response.content.decode()
