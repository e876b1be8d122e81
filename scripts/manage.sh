#!/bin/sh
# manage.py with the installation's settings, loaded as the systemd units load them:
#   sudo -u styrkort /srv/styrkort/scripts/manage.sh migrate --noinput
# Reads /etc/styrkort/env (or $STYRKORT_ENV) into the environment, then runs the release's
# manage.py with its .venv (or $PYTHON). $STYRKORT_DATABASE_URL, when set, replaces the file's
# DATABASE_URL (restoring into a new database). docs/deployment.md.
set -eu
cd "$(dirname "$0")/.."
env_file=${STYRKORT_ENV:-/etc/styrkort/env}
if [ ! -r "$env_file" ]; then
  echo "manage.sh: cannot read $env_file (run it as the styrkort user: sudo -u styrkort …)" >&2
  exit 1
fi
python=${PYTHON:-.venv/bin/python}
set -a
. "$env_file"
set +a
if [ -n "${STYRKORT_DATABASE_URL:-}" ]; then
  export DATABASE_URL="$STYRKORT_DATABASE_URL"
fi
exec "$python" manage.py "$@"
