#!/usr/bin/env bash
# `make run`'s last step: the web server, with the background-job worker and the scheduler that
# enqueues the periodic jobs beside it. Ctrl+C (or the end of any one of them) stops all three.
set -u
PY=${PY:-.venv/bin/python}
trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
"$PY" manage.py db_worker --no-startup-delay --interval 2 &
"$PY" manage.py crontask --no-heartbeat &
"$PY" manage.py runserver 127.0.0.1:8000 &
wait -n
