"""A Dask cluster reached by its address, as on real hardware: a scheduler and workers started as their own
processes (the `dask scheduler` / `dask worker` commands) on free loopback ports, stopped by pid."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pg import free_port

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def dask_cluster(n_workers: int = 2, timeout: float = 90.0) -> Iterator[str]:
    """Yield the scheduler's address (tcp://127.0.0.1:PORT) once n_workers single-threaded workers joined."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    log = tempfile.TemporaryFile()
    cmds = [[sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--no-dashboard"]]
    cmds += [[sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
              "--no-dashboard", "--host", "127.0.0.1", "--name", f"w{k}"] for k in range(n_workers)]
    procs: list[subprocess.Popen] = []
    try:
        for cmd in cmds:
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log))
        with Client(address, timeout=f"{int(timeout)}s") as client:
            client.wait_for_workers(n_workers, timeout=timeout)
        yield address
    except Exception:
        log.seek(0)
        sys.stderr.write(log.read()[-3000:].decode(errors="replace"))
        raise
    finally:
        for p in reversed(procs):  # workers first, then the scheduler
            with contextlib.suppress(ProcessLookupError):
                os.kill(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()
        log.close()
