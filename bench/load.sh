#!/usr/bin/env bash
# Load test: bench/load.sh [small|medium|large] (default large).
#
# A throw-away PostgreSQL server (scripts/with-postgres.sh) with a generated city, the app under
# gunicorn with several workers on 127.0.0.1, and locust (bench/locustfile.py): USERS simulated
# citizens and reporters (default 50) for RUN_TIME (default 60s). Writes bench/results/load-<scale>
# _stats.csv etc. and load-<scale>.json, prints throughput, latency percentiles and the workers'
# peak memory, and exits non-zero if any request failed. API_WRITERS (default 4) systems write
# values in bulk through the API meanwhile (bench/writers.py), reported apart from the readers.
# LOCUST (default the venv's), PORT (default a free one) and REUSE_CITY=1 (see below) may be given.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${1:-${SCALE:-large}}
PY=${PY:-.venv/bin/python}
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

if [[ "${DATABASE_URL:-}" != postgres* ]]; then
  PGPORT=${PGPORT:-$(free_port)} exec bash scripts/with-postgres.sh bash "$0" "$SCALE"
fi

USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-10}
RUN_TIME=${RUN_TIME:-60s}
WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
API_WRITERS=${API_WRITERS:-4}
RESULTS=bench/results
BIN=$(dirname "$PY")
LOCUST=${LOCUST:-$BIN/locust}
# Load tools live in the venv only for this script (no test uses them).
[ -x "$LOCUST" ] || "$PY" -m pip install -q "locust>=2.20,<3"
[ -x "$BIN/gunicorn" ] || "$PY" -m pip install -q "gunicorn>=22,<24"

export DJANGO_SETTINGS_MODULE=bench.settings DEBUG=false
mkdir -p "$RESULTS"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py createcachetable
"$PY" manage.py collectstatic --noinput -v0
# REUSE_CITY=1 with a DATABASE_URL: load an already generated city (generating a large one takes
# minutes); the writers' values stay in it.
if [ "${REUSE_CITY:-}" != 1 ]; then
  "$PY" manage.py generate_city --scale "$SCALE" --json "$RESULTS/load-$SCALE.generate.json"
fi
"$PY" manage.py benchmark --targets "$RESULTS/load-targets.json" --api-writers "$API_WRITERS"

PORT=${PORT:-$(free_port)}
# The production configuration (gunicorn.conf.py, as make serve uses), on a free loopback port.
"$BIN/gunicorn" -c gunicorn.conf.py config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --timeout 120 --graceful-timeout 5 --error-logfile "$RESULTS/load-$SCALE.gunicorn.log" &
GUNICORN=$!
stop_gunicorn() { kill "$GUNICORN" 2>/dev/null || true; wait "$GUNICORN" 2>/dev/null || true; }
trap stop_gunicorn EXIT
for _ in $(seq 1 100); do
  "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/healthz', timeout=2)" 2>/dev/null && break
  sleep 0.2
done
echo "gunicorn ($WORKERS workers) on 127.0.0.1:$PORT; locust: $USERS users and $API_WRITERS API writers for $RUN_TIME"

status=0
rm -f "$RESULTS/load-$SCALE.groups.json"
BENCH_TARGETS="$RESULTS/load-targets.json" LOAD_GROUPS="$RESULTS/load-$SCALE.groups.json" \
  "$LOCUST" -f bench/locustfile.py --headless -u "$(( USERS + API_WRITERS ))" -r "$SPAWN_RATE" --run-time "$RUN_TIME" --host "http://127.0.0.1:$PORT" \
  --only-summary --stop-timeout 5 --csv "$RESULTS/load-$SCALE" || status=$?

# Each worker's peak resident memory (VmHWM, kB) before the workers stop.
peaks=()
for pid in $(pgrep -P "$GUNICORN" || true); do
  peaks+=("$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)")
done
echo
"$PY" bench/load_report.py "$RESULTS/load-$SCALE" "${peaks[@]}"
[ "$status" = 0 ] && echo "load test: no failed requests" || echo "load test: requests FAILED (locust exit $status)"
exit "$status"
