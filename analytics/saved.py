"""Saved scenarios: a name, a note and the scenario's link parameters, under a short id (?s=ID).

Stored in a writable DuckDB file (HEARTLAND_SAVED_DB, default <cache>/saved.duckdb). DuckDB allows
one writer at a time, so writes are serialised in-process and retried if another process holds
the file: many sessions saving at once lose nothing.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from analytics import store
from analytics.scenario import URL_VERSION, Scenario, decode, encode

MAX_NAME = 80
MAX_NOTE = 500
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{6,16}")
_lock = threading.Lock()
_queries = store.named_queries(Path(__file__).with_name("saved.sql"))


@dataclass(frozen=True)
class Saved:
    id: str
    name: str
    note: str
    created_utc: datetime
    scenario: Scenario
    notices: tuple[str, ...]
    data_version: str


def _path() -> str:
    return os.environ.get("HEARTLAND_SAVED_DB") or str(store._cache_dir() / "saved.duckdb")


def _run(query: str, params: dict | None = None, *, write: bool = False, attempts: int = 50):
    """Run one named query on a short-lived connection; retry while another process holds the file."""
    for attempt in range(attempts):
        try:
            with _lock, duckdb.connect(_path()) as con:
                con.execute(_queries["create"])
                cur = con.execute(_queries[query], params or {})
                return None if write else cur.df()
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def save(scenario: Scenario, name: str, note: str = "") -> str:
    """Store the scenario; returns its short id for a ?s= link."""
    name, note = (name or "").strip(), (note or "").strip()
    if not name:
        raise ValueError("Give the scenario a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"The name is {len(name)} characters; at most {MAX_NAME}.")
    if len(note) > MAX_NOTE:
        raise ValueError(f"The note is {len(note)} characters; at most {MAX_NOTE}.")
    for _ in range(5):
        sid = secrets.token_urlsafe(6)
        try:
            _run("insert", {"id": sid, "name": name, "note": note, "created_utc": datetime.now(timezone.utc).replace(tzinfo=None),
                            "params": json.dumps(encode(scenario)), "url_version": URL_VERSION,
                            "app_version": "0.1.0", "data_version": store.data_version()}, write=True)
            return sid
        except duckdb.ConstraintException:
            continue  # id collision: draw another
    raise RuntimeError("could not allocate a scenario id")


def load(sid: str) -> Saved | None:
    """The saved scenario with this id, or None. Never raises on a bad id or a stale row."""
    if not isinstance(sid, str) or not ID_PATTERN.fullmatch(sid):
        return None
    rows = _run("get", {"id": sid})
    if rows.empty:
        return None
    row = rows.iloc[0]
    try:
        params = json.loads(row.params)
        params = {str(k): str(v) for k, v in params.items()} if isinstance(params, dict) else {}
    except ValueError:
        params = {}
    params.setdefault("v", str(row.url_version))
    decoded = decode(params)
    return Saved(row.id, row["name"], row.note or "", row.created_utc, decoded.scenario, decoded.notices,
                 row.data_version or "")


def recent(limit: int = 50) -> pd.DataFrame:
    """The most recently saved scenarios: id, name, note, created_utc, data_version."""
    return _run("recent", {"limit": int(limit)})
