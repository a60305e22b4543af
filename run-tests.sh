#!/usr/bin/env bash
# Installs what the tests need when it is missing, then runs the whole suite.
# Browser tests drive Debian's chromium through Python Playwright (never `playwright install`).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
# Debian's packages the suite drives: chromium (browser tests), postgresql (the saved-scenario tests run
# against a real PostgreSQL server started from its binaries, which Debian keeps in /usr/lib/postgresql/N/bin)
# and fonts-dejavu-core (the PDF brief embeds DejaVu Sans).
APT=()
command -v chromium >/dev/null 2>&1 || APT+=(chromium chromium-driver)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || APT+=(postgresql)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || APT+=(fonts-dejavu-core)
if [ ${#APT[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT[@]}" >/dev/null
fi
# Style and types first: ruff (ruff.toml: analytics/ never imports streamlit) and mypy (mypy.ini).
python3 -m ruff check --quiet .
python3 -m mypy --no-error-summary
exec python3 -m pytest "$@"
