"""A throwaway PostgreSQL server for the tests: Debian's postgresql binaries, initdb into a temporary
directory, started on a free loopback port, stopped with pg_ctl (and by pid if that fails).

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user that Debian's
package creates. Missing binaries are an error, not a skip: ./run-tests.sh installs them.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from browser import free_port  # noqa: F401 - also used by daskcluster.py and test_saved.py

INSTALL_HINT = "PostgreSQL's server binaries are missing: run ./run-tests.sh (it installs Debian's postgresql)."


def bindir() -> Path:
    """The directory holding initdb and pg_ctl (Debian keeps them off PATH, under /usr/lib/postgresql/N/bin)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise FileNotFoundError(INSTALL_HINT)
    return Path(candidates[-1]).parent


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def postgres_server(timeout: float = 60.0) -> Iterator[str]:
    """Yield the address (postgresql://heartland@127.0.0.1:PORT/postgres) of a fresh server."""
    bins = bindir()
    root = Path(tempfile.mkdtemp(prefix="heartland-pg-"))
    data, log = root / "data", root / "server.log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    os.chmod(root, 0o700)
    port = free_port()
    run = dict(check=True, capture_output=True, timeout=timeout)
    try:
        subprocess.run(_as_server_user([str(bins / "initdb"), "-D", str(data), "-U", "heartland", "--auth=trust",
                                        "-E", "UTF8", "--no-sync", "--no-instructions"]), **run)
        opts = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_server_user([str(bins / "pg_ctl"), "start", "-D", str(data), "-o", opts, "-l", str(log),
                                        "-w", "-t", str(int(timeout))]), **run)
        yield f"postgresql://heartland@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")[-1500:]
        if log.exists():
            detail += log.read_text(errors="replace")[-1500:]
        raise RuntimeError(f"PostgreSQL did not start: {detail}") from exc
    finally:
        _stop(bins, data)
        shutil.rmtree(root, ignore_errors=True)


def _stop(bins: Path, data: Path) -> None:
    pidfile = data / "postmaster.pid"
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text().splitlines()[0])
    subprocess.run(_as_server_user([str(bins / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w"]),
                   capture_output=True, timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
