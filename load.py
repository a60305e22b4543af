"""Heartland load figures: N concurrent sessions moving a slider, through the real server.

    python3 load.py                         # 1, 5, 10 and 20 sessions, 20 s each
    python3 load.py --sessions 20 --seconds 30 --think 1.0

Starts `streamlit run serve.py` on a free loopback port (127.0.0.1 only), opens N sessions with a
light client (one process, asyncio + websockets speaking Streamlit's own protocol: the BackMsg and
ForwardMsg protobufs in the installed streamlit package, no browser), and in each session moves the
"Allied offtake money" slider of the Scenario explorer to a new value, waits for the rerun to finish,
pauses (`--think` seconds, jittered) and moves it again. Each session starts from its own link, so
every value is new to the server's caches (a cold solve each time).

Prints, per level: reruns, p50 / p95 / max slider-to-result latency (from sending the new value to
the server's "script finished" message, after the plan's metric has arrived), CPU seconds per rerun
of the server and its solver processes (/proc/PID/stat) and peak memory (VmHWM) of the server and of
the server plus its solver processes. Stops the server by its pid when done (its solver processes end
with it), and stops by itself after the set time. Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent
SLIDER_KEY = "sc_offtake_musd"
METRIC = "Dependence, plan"  # the explorer's headline metric
TICK = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, cache: str) -> subprocess.Popen:
    env = {**os.environ, "HEARTLAND_CACHE": cache}
    log = open(Path(cache) / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_server(proc)
            raise RuntimeError(f"streamlit did not start; see {log.name}")
        time.sleep(0.3)


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def family(pid: int) -> list[int]:
    """The server and its child processes (the solver processes), from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the server and its solver processes (all their threads)."""
    return sum(_cpu(p) for p in family(pid))


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """Peak resident memory (VmHWM, MB) of the server process, and of it plus its solver processes."""
    peaks = []
    for p in family(pid):
        try:
            status = Path(f"/proc/{p}/status").read_text().splitlines()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:")][:1]
    return (peaks[0] if peaks else float("nan")), sum(peaks)


# ----------------------------------------------------------------------------- one session

class Session:
    """One browser tab's worth of protocol: connect, run the explorer from a link, move a slider."""

    def __init__(self, port: int, query: str, page: str = "explorer"):
        self.url = f"ws://127.0.0.1:{port}/_stcore/stream"
        self.query = query
        self.page = page
        self.ws = None
        self.page_hash = ""
        self.slider_id = ""
        self.metric = None
        self.exception = None
        self.no_plan = ""  # the page said there is no plan (no metric will come)

    async def open(self) -> float:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=30, ping_interval=None)
        took = await self.rerun(None, page_name=self.page)
        if not self.slider_id and self.page == "explorer" and not self.no_plan and self.exception is None:
            # a new session's first run stops after its headline (serve.py); a browser then answers, once it
            # has painted it, with a rerun that draws the whole page: so does this client
            took += await self.rerun(None)
        return took

    async def rerun(self, value: float | None, page_name: str = "") -> float:
        """Send a rerun (with the slider at `value`), wait for the script to finish; seconds taken."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        if value is not None:
            w = state.widget_states.widgets.add()
            w.id = self.slider_id
            w.double_array_value.data.append(value)
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        metric = None
        while True:
            fm = ForwardMsg()
            fm.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=120))
            kind = fm.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "new_session" and fm.new_session.page_script_hash:
                self.page_hash = self.page_hash or fm.new_session.page_script_hash
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                el = fm.delta.new_element
                which = el.WhichOneof("type")
                if which == "slider" and el.slider.id.endswith(SLIDER_KEY):
                    self.slider_id = el.slider.id
                elif which == "metric" and el.metric.label == METRIC:
                    metric = el.metric.body
                elif which == "exception":
                    self.exception = el.exception.message
                elif which == "alert" and "cannot be solved" in el.alert.body or (
                        which == "alert" and "No plan is possible" in el.alert.body):
                    self.no_plan = el.alert.body[:200]
            elif kind == "script_finished":
                if metric is None and self.page == "explorer" and self.exception is None and not self.no_plan:
                    continue  # a rerun cut short for a newer one: wait on
                self.metric = metric
                return time.perf_counter() - t0

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def drive(port: int, n: int, seconds: float, think: float, seed: int) -> tuple[list[float], int, list[str]]:
    """n sessions, each from its own link, moving the slider for `seconds`; latencies and open errors."""
    rng = random.Random(seed)
    # a distinct Middle Corridor room per session and level: every (session, offtake) pair is a new scenario
    sessions = [Session(port, f"v=2&mc={1000 + 25 * (seed % 40) + 5 * i}") for i in range(n)]
    await asyncio.gather(*(s.open() for s in sessions))
    latencies: list[float] = []
    problems: list[str] = []
    end = time.monotonic() + seconds

    async def run(s: Session, k: int) -> None:
        values = [50.0 * v for v in range(0, 101)]  # the slider: 0 to 5,000 M USD/yr
        rng_s = random.Random(seed * 1000 + k)
        rng_s.shuffle(values)
        await asyncio.sleep(rng.uniform(0, think))  # sessions do not move in lockstep
        for value in values:
            if time.monotonic() > end:
                break
            latencies.append(await s.rerun(value))
            if s.exception:
                problems.append(f"session {k}: {s.exception[:200]}")
                s.exception = None
            if s.no_plan:
                problems.append(f"session {k} at {value:g}: {s.no_plan}")
                s.no_plan = ""
            await asyncio.sleep(think * rng_s.uniform(0.5, 1.5))

    await asyncio.gather(*(run(s, k) for k, s in enumerate(sessions)))
    await asyncio.gather(*(s.close() for s in sessions))
    return latencies, n, problems


# Links that ask the server for the most work: whole projects (a MILP per solve), the many-solve
# Trade-offs page, the least-financing objective, late target years with every project buildable.
HEAVY_LINKS = [
    ("tradeoffs", "v=2&mode=whole&lois=37&mc=425"),
    ("tradeoffs", "v=2&mode=whole&obj=min_financing&dtgt=5&year=2035&allied=500&offt=5000"),
    ("tradeoffs", "v=2&year=2035&allied=500&offt=5000&exim=5000&dfc=5000&jbic=5000&eib=5000&priv=5000"),
    ("tradeoffs", "v=2&mode=whole&obj=max_secure&year=2035&mc=5000&rutr=0&ruw=100"),
    ("explorer", "v=2&mode=whole&year=2035&allied=500&offt=5000&lois=3"),
    ("risk", "v=2&mode=whole&year=2034&allied=450&offt=5000"),
    ("compare", "v=2&mode=whole&year=2033&allied=400&offt=5000"),
    ("overview", "v=2&mode=whole&obj=min_financing&dtgt=1&year=2035"),
]


async def time_links(port: int, pid: int) -> list[tuple[str, float, float]]:
    """Each heavy link opened cold in a fresh session, one at a time: seconds to finish, server CPU."""
    out = []
    for page, query in HEAVY_LINKS:
        s = Session(port, query, page)
        cpu0 = cpu_seconds(pid)
        seconds = await s.open()
        out.append((f"/{page}?{query}", seconds, cpu_seconds(pid) - cpu0))
        if s.exception:
            out[-1] = (out[-1][0] + f"  EXCEPTION {s.exception[:100]}", seconds, out[-1][2])
        await s.close()
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, nargs="*", default=[1, 5, 10, 20])
    ap.add_argument("--seconds", type=float, default=20.0, help="time each level runs (default 20)")
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a result and the next move (s)")
    ap.add_argument("--links", action="store_true", help="also time the heaviest links, cold, one at a time")
    args = ap.parse_args()
    port = free_port()
    cache = tempfile.mkdtemp(prefix="heartland-load-")
    proc = start_server(port, cache)
    try:
        asyncio.run(drive(port, 1, 3.0, 0.2, seed=99))  # warm up: the first session of a fresh server process
        print(f"Heartland load: `streamlit run serve.py` on 127.0.0.1:{port} (pid {proc.pid}); Scenario explorer, "
              f"slider '{SLIDER_KEY}' to a new value, think {args.think:g} s; websocket client (BackMsg/ForwardMsg)")
        print(f"  {'sessions':>8} {'reruns':>7} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'CPU s/rerun':>12} "
              f"{'peak RSS MB: server':>20} {'+ solvers':>10}")
        for seed, n in enumerate(args.sessions, start=1):
            cpu0 = cpu_seconds(proc.pid)
            latencies, _, problems = asyncio.run(drive(port, n, args.seconds, args.think, seed))
            cpu = cpu_seconds(proc.pid) - cpu0
            reruns = len(latencies) + n  # each session's first page load is a rerun too
            print(f"  {n:>8} {len(latencies):>7} {pct(latencies, 0.5):>7.2f} {pct(latencies, 0.95):>7.2f} "
                  f"{max(latencies):>7.2f} {cpu / reruns:>12.3f} {peak_rss_mb(proc.pid)[0]:>20.0f} "
                  f"{peak_rss_mb(proc.pid)[1]:>10.0f}")
            for p in problems[:5]:
                print(f"    exception on the page: {p}")
        if args.links:
            print("  Heaviest links, each opened cold in a fresh session (wall s, server CPU s):")
            for link, seconds, cpu in asyncio.run(time_links(port, proc.pid)):
                print(f"    {seconds:6.2f} s  {cpu:6.2f} CPU s  {link}")
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
