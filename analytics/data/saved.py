"""Saved scenarios: a name, a note and the scenario's link parameters, under an unguessable id (?s=ID).

A saved scenario is private to whoever holds its link: ids are 96 random bits, and nothing here lists
the table: a session remembers the ids it saved itself.

Two stores behind one interface, chosen by the environment:
- **DuckDB** (the embedded default): a writable file separate from the read-only reference database
  (HEARTLAND_SAVED_DB, default <cache>/saved.duckdb). DuckDB lets one process hold a file for
  writing at a time, so every call opens its own short-lived connection under an in-process lock and
  retries while another process holds the file.
- **PostgreSQL**, when HEARTLAND_DATABASE_URL is set (postgresql://user:password@host:port/db): several
  app processes (replicas behind a load balancer) share the saves. Each call opens a connection with a
  connect timeout and a statement timeout, so a slow or absent server costs seconds, not a hung page.

SQL lives in saved.sql (DuckDB) and saved_pg.sql (psycopg) as named queries binding every value.

>>> sid = save(Scenario(lockin_pct=20.0), "Lower lock-in")   # doctest: +SKIP
>>> load(sid).scenario.lockin_pct                              # doctest: +SKIP
20.0
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analytics import APP_VERSION
from analytics.data import store
from analytics.data.upload import UNSAFE_TEXT
from analytics.model.scenario import URL_VERSION, Scenario, decode, encode

MAX_NAME = 80
MAX_NOTE = 500
ID_BYTES = 12                                  # token_urlsafe(12) -> 16 url-safe characters, 96 random bits
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{6,16}")  # 8-character ids from before stay readable
LOCK_ATTEMPTS = 40                             # about 15 s of waiting in all for another process (DuckDB)
CONNECT_TIMEOUT_S = 5                          # PostgreSQL
STATEMENT_TIMEOUT_MS = 5000                    # PostgreSQL
ENV_URL = "HEARTLAND_DATABASE_URL"
_lock = threading.Lock()
_queries = store.named_queries(Path(__file__).with_name("saved.sql"))
_pg_queries = store.named_queries(Path(__file__).with_name("saved_pg.sql"))
_pg_ready: set[str] = set()                    # addresses whose table this process has created
_log = logging.getLogger(__name__)


class StoreUnavailable(RuntimeError):
    """The saved-scenarios database cannot be opened or written; the message says so in plain words."""


class _Duplicate(Exception):
    """An insert hit an existing id (draw another)."""


@dataclass(frozen=True)
class Saved:
    """One saved scenario: the decoded Scenario, its metadata and any notices from decoding it."""

    id: str
    name: str
    note: str
    created_utc: datetime
    scenario: Scenario
    notices: tuple[str, ...]
    data_version: str
    app_version: str = ""
    url_version: int = URL_VERSION


def db_path() -> str:
    """Where the embedded store lives (HEARTLAND_SAVED_DB, else the cache directory)."""
    return os.environ.get("HEARTLAND_SAVED_DB") or str(store._cache_dir() / "saved.duckdb")


def backend() -> str:
    """'postgresql' when HEARTLAND_DATABASE_URL is set, else 'duckdb'."""
    return "postgresql" if os.environ.get(ENV_URL, "").strip() else "duckdb"


def _run(name: str, params: dict | None = None, *, write: bool = False) -> pd.DataFrame | None:
    """Run one named query on the configured store."""
    url = os.environ.get(ENV_URL, "").strip()
    return _run_pg(url, name, params, write) if url else _run_duckdb(name, params, write)


def _run_duckdb(name: str, params: dict | None, write: bool) -> pd.DataFrame | None:
    """One named query on a short-lived connection; wait while another process holds the file."""
    for attempt in range(LOCK_ATTEMPTS):
        try:
            with _lock, duckdb.connect(db_path()) as con:
                con.execute(_queries["create"])
                cur = con.execute(_queries[name], params or {})
                return None if write else cur.df()
        except duckdb.ConstraintException as exc:
            raise _Duplicate from exc
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():  # not another process: a path or file that cannot work
                _log.exception("saved-scenarios store at %s cannot be opened", db_path())
                raise StoreUnavailable("Saved scenarios are unavailable: the store cannot be opened.") from exc
            if attempt == LOCK_ATTEMPTS - 1:
                raise StoreUnavailable("Saved scenarios are unavailable right now (the store is busy); "
                                       "try again in a minute.") from exc
            time.sleep(min(1.0, 0.02 * (attempt + 1)))  # another process holds the file: wait for it
        except (duckdb.Error, OSError) as exc:
            _log.exception("saved-scenarios store at %s failed", db_path())
            raise StoreUnavailable("Saved scenarios are unavailable: the store could not be read.") from exc
    raise AssertionError("unreachable")


def _pg_connect(url: str):
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params: dict = conninfo_to_dict(url)
    params["options"] = f"{params.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
    params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
    params.setdefault("application_name", "heartland")
    return psycopg.connect(**params, autocommit=True)


def _run_pg(url: str, name: str, params: dict | None, write: bool) -> pd.DataFrame | None:
    """One named query on its own connection (the address, which may hold a password, is never logged)."""
    import psycopg

    try:
        with _pg_connect(url) as con:
            if url not in _pg_ready:
                try:
                    con.execute(_pg_queries["create"])
                except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateTable, psycopg.errors.DuplicateObject):
                    pass  # another process created the table at the same moment
                _pg_ready.add(url)
            cur = con.execute(_pg_queries[name], params or {})
            if write:
                return None
            return pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
    except psycopg.errors.UniqueViolation as exc:
        raise _Duplicate from exc
    except psycopg.OperationalError as exc:
        _log.warning("saved-scenarios store (PostgreSQL) cannot be reached: %s", type(exc).__name__)
        raise StoreUnavailable("Saved scenarios are unavailable: the database cannot be reached.") from exc
    except (psycopg.Error, ValueError) as exc:  # ValueError: not a usable postgresql:// address
        _log.warning("saved-scenarios store (PostgreSQL) failed: %s", type(exc).__name__)
        raise StoreUnavailable("Saved scenarios are unavailable: the database could not be read.") from exc


def _clean(name: str, note: str) -> tuple[str, str]:
    name = (name or "").strip() if isinstance(name, str) or name is None else None
    note = (note or "").strip() if isinstance(note, str) or note is None else None
    if name is None or note is None:
        raise ValueError("The name and the note must be text.")
    if not name:
        raise ValueError("Give the scenario a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"The name is {len(name)} characters long; at most {MAX_NAME} are allowed.")
    if len(note) > MAX_NOTE:
        raise ValueError(f"The note is {len(note)} characters long; at most {MAX_NOTE} are allowed.")
    # control and text-direction characters (terminal escapes, right-to-left overrides) are refused: a
    # name is shown to whoever opens the link, and "plan\u202etxt.exe" must not read as something else
    for label, text in (("name", name), ("note", note.replace("\n", " ").replace("\t", " "))):
        bad = UNSAFE_TEXT.search(text)
        if bad:
            raise ValueError(f"The {label} contains an invisible control or text-direction character "
                             f"(U+{ord(bad.group()):04X}); remove it and save again.")
    return name, note


def save(scenario: Scenario, name: str, note: str = "") -> str:
    """Store the scenario under a new short id and return the id (for a ?s=ID link).

    Raises ValueError for an empty or too-long name or note (the message says which),
    StoreUnavailable if the store cannot be written.
    """
    name, note = _clean(name, note)
    row = {"name": name, "note": note, "created_utc": datetime.now(UTC).replace(tzinfo=None),
           "params": json.dumps(encode(scenario)), "url_version": URL_VERSION, "app_version": APP_VERSION,
           "data_version": store.data_version()}
    for _ in range(8):
        sid = secrets.token_urlsafe(ID_BYTES)
        try:
            _run("insert", {"id": sid, **row}, write=True)
            return sid
        except _Duplicate:
            continue  # id collision: draw another
    raise StoreUnavailable("Could not allocate a short id for the scenario; try again.")


def _params(raw: object, url_version: object) -> tuple[dict[str, str], tuple[str, ...]]:
    try:
        params = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        params = None
    if not isinstance(params, dict):
        return {}, ("The saved scenario's inputs could not be read; showing the defaults.",)
    params = {str(k): str(v) for k, v in params.items()}
    if url_version is not None and not pd.isna(url_version):
        params.setdefault("v", str(url_version))
    return params, ()


def load(sid: str) -> Saved | None:
    """The saved scenario with this id, or None if there is none.

    A bad id (wrong shape, hostile text) gives None without touching the database; a stale or
    damaged row decodes like a link (bad values fall back to defaults, with notices). Raises only
    StoreUnavailable, when the store itself cannot be read.
    """
    if not isinstance(sid, str) or not ID_PATTERN.fullmatch(sid):
        return None
    rows = _run("get", {"id": sid})
    if rows is None or rows.empty:
        return None
    row = rows.iloc[0]
    params, notices = _params(row.params, row.url_version)
    decoded = decode(params)
    notices = notices + decoded.notices
    data_version = row.data_version or ""
    if data_version and data_version != store.data_version():
        notices += ("This scenario was saved when the reference data was different (data version "
                    f"{data_version}); its inputs are the same, but results may differ from what was seen then.",)
    version = params.get("v", "")
    return Saved(row.id, row["name"], row.note or "", row.created_utc, decoded.scenario, notices, data_version,
                 row.app_version or "", int(version) if version.isdigit() else URL_VERSION)


def count() -> int:
    """How many scenarios the store holds (a number only; for operators and tests)."""
    rows = _run("count")
    return 0 if rows is None else int(rows.n.iloc[0])
