"""The previous release keeps working on the schema the current release migrates to.

An upgrade runs ``migrate`` while the previous release still serves, and a rollback serves it
again on the migrated schema (docs/migrations.md). So: the previous release's code (taken from
git) makes its schema and a small city, the current code migrates that database, and then the
previous release's code goes through its main write paths — the entry page's function, the API's
bulk value write, assessments through the API and the page's function — on the migrated schema.
Runs on SQLite under ``make test`` and on PostgreSQL under ``make test-pg``.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

# The release the current one must stay compatible with: the last commit before the first
# migration that is not yet released. When a release is made, set this to its commit (and check
# that previous_release/old_code_writes.py still matches that code). docs/migrations.md.
PREVIOUS_RELEASE = "4542a0aa077e4db6c8ec85c33d4c6630a09a3d52"
# The release that shipped followup 0004 without the token's database default: installations
# that ran it get the default from 0005, so a rollback to the previous release works there too.
FIRST_TOKEN_RELEASE = "3ca894cc68ff8f26b7ce78356a88ebacc9dd294b"

ROOT = Path(__file__).resolve().parents[2]
WRITES = Path(__file__).with_name("previous_release") / "old_code_writes.py"


def git(*args, **kw) -> subprocess.CompletedProcess:
    git_path = shutil.which("git") or "git"
    return subprocess.run([git_path, "-C", str(ROOT), *args], capture_output=True, **kw)  # noqa: S603 - our own repository


def has_commit(sha: str) -> bool:
    return git("cat-file", "-e", f"{sha}^{{commit}}").returncode == 0


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """``release(sha)`` → a folder with that commit's files, from this checkout's history
    (fetched when the clone is shallow). Without it the test fails under CI and is skipped
    elsewhere, saying why."""
    folders: dict[str, Path] = {}

    def files(sha: str) -> Path:
        if sha in folders:
            return folders[sha]
        if not has_commit(sha):
            try:
                git("fetch", "--quiet", "--depth=1", "origin", sha, timeout=120)
            except subprocess.TimeoutExpired:
                pass  # said below
        if not has_commit(sha):
            reason = (
                f"release {sha[:12]} is not in this checkout's git history (a shallow clone "
                "without a reachable origin?): git fetch --unshallow"
            )
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        archive = git("archive", "--format=tar", sha, check=True).stdout
        folders[sha] = tmp_path_factory.mktemp(sha[:12])
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.11.4+
            tar.extractall(folders[sha], **safe)  # noqa: S202 - our own repository's files
        return folders[sha]

    return files


@contextmanager
def a_database(folder: Path, template: str | None = None):
    """A database of the kind the suite runs on, empty or a copy of ``template``, dropped after."""
    if connection.vendor == "sqlite":
        path = folder / f"upgrade-{uuid.uuid4().hex[:8]}.sqlite3"
        if template:
            with closing(sqlite3.connect(template[len("sqlite:///") :])) as source:
                with closing(sqlite3.connect(path)) as copy:
                    source.backup(copy)
        yield f"sqlite:///{path}"
        return
    import psycopg

    base = os.environ["DATABASE_URL"]
    name = f"styrkort_upgrade_{uuid.uuid4().hex[:8]}"
    copy = f' TEMPLATE "{urlsplit(template).path[1:]}"' if template else ""
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def seeded(release, tmp_path_factory):
    """The previous release as it runs today: its schema, with data in it. Made once; each test
    below starts from a copy (a migration from nothing costs as much as the rest of a test)."""
    with a_database(tmp_path_factory.mktemp("seeded")) as url:
        old = release(PREVIOUS_RELEASE)
        run(old, url, "manage.py", "migrate", "--noinput", "-v", "0")
        run(old, url, str(WRITES), "seed")
        yield url


@pytest.fixture
def database_url(seeded, tmp_path):
    """A copy of the previous release's seeded database, dropped afterwards."""
    with a_database(tmp_path, template=seeded) as url:
        yield url


# Run first in the release's interpreter: an editable install (``pip install -e .``, as ``make``
# does) puts a finder on ``sys.meta_path`` that serves this working tree's packages, so a package
# that is new here (followup/templatetags/) would be imported into the old release's code.
ONLY_THE_RELEASE = """import sys
sys.meta_path[:] = [f for f in sys.meta_path if "Editable" not in getattr(f, "__name__", type(f).__name__)]
"""


def run(code: Path, database_url: str, *args: str) -> str:
    """``python ARGS`` with ``code`` first on the path and as the folder, on the given database."""
    isolate = code.parent / f"{code.name}-site"
    isolate.mkdir(exist_ok=True)
    (isolate / "sitecustomize.py").write_text(ONLY_THE_RELEASE)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(isolate), str(code)]),
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DEBUG": "true",
        "DATA_DIR": str(code / "data"),
    }
    done = subprocess.run(  # noqa: S603 - our interpreter, a release's manage.py
        [sys.executable, *args], cwd=code, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} in {code}:\n{done.stdout}\n{done.stderr[-4000:]}"
    )
    return done.stdout


@pytest.mark.parametrize("via", [None, FIRST_TOKEN_RELEASE], ids=["upgrade", "after-0004"])
def test_the_previous_release_writes_on_the_migrated_schema(release, database_url, via):
    old, new = release(PREVIOUS_RELEASE), ROOT
    # database_url: the previous release as it runs today, its schema with data in it (seeded).
    if via:  # an installation that already ran a release in between
        run(release(via), database_url, "manage.py", "migrate", "--noinput", "-v", "0")
    # The upgrade: the current release migrates while the previous one still serves.
    run(new, database_url, "manage.py", "migrate", "--noinput", "-v", "0")
    versions_before = run(new, database_url, "manage.py", "shell", "-c", SCOPED_VERSIONS)
    # The previous release's servers (or a rollback to it) write on the migrated schema.
    written = run(old, database_url, str(WRITES), "write")
    assert '"api_bulk": 2' in written, written
    # Its writes name no scorecard (it does not know the column): every scorecard's cached
    # roll-ups in the current release must go, not one stay.
    before = json.loads(versions_before.strip().splitlines()[-1])
    after = json.loads(
        run(new, database_url, "manage.py", "shell", "-c", SCOPED_VERSIONS).strip().splitlines()[-1]
    )
    assert before and before.keys() == after.keys()
    assert not [card for card in before if before[card] == after[card]]
    # And what they wrote reads back in the current release: every roll-up change has a token.
    check = (
        "from followup.models import RollupChange; from followup.rollup import rollup_version; "
        "assert not RollupChange.objects.filter(token__isnull=True).exists(); "
        "assert not rollup_version().endswith('None'); print('ok')"
    )
    assert run(new, database_url, "manage.py", "shell", "-c", check).strip().endswith("ok")


# {scorecard id: its roll-ups' version} in the current release (followup.rollup.scoped_version).
SCOPED_VERSIONS = (
    "import json; from scorecards.models import Scorecard; "
    "from followup.rollup import scoped_version; "
    "print(json.dumps({c: scoped_version([c]) for c in Scorecard.objects.values_list('pk', flat=True)}))"
)


def requirement_names(pyproject: str) -> set[str]:
    """The distribution names a pyproject.toml's text requires (runtime and test extras)."""
    import re
    import tomllib

    project = tomllib.loads(pyproject)["project"]
    wanted = [*project["dependencies"], *project.get("optional-dependencies", {}).get("test", [])]
    return {
        re.split(r"[\[<>=!~; ]", req, maxsplit=1)[0].lower().replace("_", "-") for req in wanted
    }


def test_every_package_the_previous_release_needs_is_still_installed_for_this_test(release):
    """The old release runs in this release's virtualenv, so a dependency dropped here (as the
    Swagger UI sidecar was) must stay in the test extras while the previous release needs it —
    otherwise the test above fails only on a fresh install, such as CI's."""
    old = (release(PREVIOUS_RELEASE) / "pyproject.toml").read_text()
    new = (ROOT / "pyproject.toml").read_text()
    missing = requirement_names(old) - requirement_names(new)
    assert not missing, f"add to the test extras in pyproject.toml: {sorted(missing)}"
