#!/usr/bin/env bash
# Installs what the tests need when it is missing, then runs the whole suite.
# Browser tests drive Debian's chromium through Python Playwright (never `playwright install`).
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
if ! command -v chromium >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exec python3 -m pytest "$@"
