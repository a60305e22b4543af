"""Helpers for real-browser tests and the benchmark: start `streamlit run` on a free loopback
port and drive Debian's chromium through Playwright (never `playwright install`)."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
METRIC = '[data-testid="stMetricValue"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(timeout_s: float = 90, cache_dir: str | None = None):
    """Yield the base URL of a fresh `streamlit run serve.py` (the README's command) once its health check
    answers; stop it by its pid afterwards. `cache_dir`: where the reference database is (default: a new empty
    folder, so the server builds it as it starts)."""
    port = free_port()
    env = {**os.environ, "HEARTLAND_CACHE": cache_dir or tempfile.mkdtemp(prefix="heartland-browser-")}
    log = open(Path(tempfile.mkdtemp(prefix="heartland-browser-log-")) / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def metric_values(page) -> list[str]:
    return page.locator(METRIC).all_inner_texts()


def wait_for_metrics(page, timeout_ms: int = 60000, settle_ms: int = 500) -> list[str]:
    """The metric values once the page has settled: shown, no script running, unchanged for settle_ms."""
    page.wait_for_selector(METRIC, timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        wait_until_stable(page)
        now = metric_values(page)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= settle_ms / 1000:
            return now
        page.wait_for_timeout(50)
    return metric_values(page)


HELD_BACK = ".st-key-headline_painted"  # a new session's first page, shown up to its headline (pages/common.py)


def wait_until_stable(page, timeout_s: float = 30) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator) and the page is whole
    (not a new session's first run, held back after its headline until the browser has painted it)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator(f'[data-testid="stStatusWidget"], {HELD_BACK}').count() == 0:
            return
        page.wait_for_timeout(50)


def wait_for_change(page, before: list[str], timeout_s: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = metric_values(page)
        if now and now != before:
            return wait_for_metrics(page)
        page.wait_for_timeout(20)
    raise AssertionError(f"metrics did not change from {before}")
