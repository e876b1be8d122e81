"""docs/deployment.md, followed literally: its environment file reads the same through the
shell as it is meant to, scripts/manage.sh runs manage.py with it, and every management command
the guide names exists."""

import re
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")


def write_env_file(path: Path) -> None:
    """Run the guide's ``cat > /etc/styrkort/env <<EOF … EOF``, writing to ``path`` instead."""
    block = re.search(r"^cat > /etc/styrkort/env <<EOF\n.*?^EOF$", GUIDE, re.S | re.M).group(0)
    script = block.replace("/etc/styrkort/env", str(path))
    subprocess.run(["bash", "-e", "-c", script], check=True)  # noqa: S603, S607 - the guide's


def manage(env_file: Path, *args: str, **env) -> str:
    done = subprocess.run(  # noqa: S603 - our own script and interpreter
        ["sh", str(ROOT / "scripts" / "manage.sh"), *args],  # noqa: S607
        env={"PATH": "/usr/bin:/bin", "STYRKORT_ENV": str(env_file), "PYTHON": sys.executable}
        | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_environment_file_reads_whole_through_manage_sh(tmp_path):
    env_file = tmp_path / "env"
    write_env_file(env_file)
    probe = (
        "from django.conf import settings; "
        "print(settings.MUNICIPALITY_NAME, settings.DEBUG, settings.ALLOWED_HOSTS, "
        "settings.DATABASES['default']['NAME'], len(settings.SECRET_KEY), sep='|')"
    )
    out = manage(env_file, "shell", "-c", probe).strip().splitlines()[-1]
    # Unquoted, "Exempelby kommun" left the name unset (the shell ran "kommun" as a command).
    assert out.split("|") == [
        "Exempelby kommun",
        "False",
        "['styrkort.example.se']",
        "styrkort",
        "67",
    ]


def test_a_restore_names_its_own_database(tmp_path):
    env_file = tmp_path / "env"
    write_env_file(env_file)
    new = "postgres://styrkort:pw@127.0.0.1:5432/styrkort_new"
    probe = "from django.conf import settings; print(settings.DATABASES['default']['NAME'])"
    out = manage(env_file, "shell", "-c", probe, STYRKORT_DATABASE_URL=new)
    assert out.strip().splitlines()[-1] == "styrkort_new"


def test_manage_sh_says_when_it_cannot_read_the_file(tmp_path):
    done = subprocess.run(  # noqa: S603
        ["sh", str(ROOT / "scripts" / "manage.sh"), "check"],  # noqa: S607
        env={"PATH": "/usr/bin:/bin", "STYRKORT_ENV": str(tmp_path / "missing")},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "cannot read" in done.stderr


def test_every_command_the_guide_names_exists():
    named = set(re.findall(r"(?:manage\.py|scripts/manage\.sh) ([a-z_]+)", GUIDE))
    assert {"migrate", "backup", "restore", "create_admin", "kolada_catalogue"} <= named
    optional = {"rqworker"}  # "When a city needs a broker": comes with django-tasks-rq
    assert named - set(get_commands()) - optional == set()
