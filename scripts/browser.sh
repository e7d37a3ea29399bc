# Sourced by scripts/test after env.sh: what the browser test needs, installed when missing.
# Playwright drives Debian's Chromium (a browser download would fail offline).
PLAYWRIGHT_VERSION=1.65.2
if ! python -c "import playwright" 2>/dev/null; then
    echo "[browser] installing playwright==$PLAYWRIGHT_VERSION" >&2
    python -m pip install -q "playwright==$PLAYWRIGHT_VERSION" >&2
fi
if ! command -v chromium >/dev/null; then
    echo "[browser] installing Debian's chromium" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi
export VISUAL_CLUSTERING_CHROMIUM="${VISUAL_CLUSTERING_CHROMIUM:-$(command -v chromium)}"
