"""The one place that talks to DuckDB.

The reference database is built from the CSV seeds in data/ as data/datapackage.json describes them
(types, NOT NULL, CHECKs, primary keys), with the world-supply views of views.sql on top, on first use
(to a file named after a hash of the package, the views and the seeds, so editing any of them rebuilds
it) and opened read-only afterwards.
Queries are named blocks in analytics/data/queries.sql and bind every value as a parameter.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from analytics.data import package

DATA_DIR = package.DATA_DIR
QUERIES_FILE = Path(__file__).resolve().parent / "queries.sql"
VIEWS_FILE = Path(__file__).resolve().parent / "views.sql"


TABLES: tuple[str, ...] = package.resource_names()
# the world-supply views of views.sql that pages read (each has a named query of the same name)
VIEWS: tuple[str, ...] = ("world_shares", "china_shares", "concentration", "kazakhstan_place")


class DataError(RuntimeError):
    """The seed data in data/ could not be loaded; the message names the file and why."""


def seed_files(data_dir: Path = DATA_DIR) -> dict[str, list[Path]]:
    """table -> its CSV file(s), from datapackage.json (a multipart resource lists several)."""
    return {name: package.resource_paths(name, data_dir) for name in package.resource_names(data_dir)}


def _version_files(data_dir: Path) -> list[Path]:
    files = [data_dir / package.PACKAGE_FILE, VIEWS_FILE]
    return files + [p for ps in seed_files(data_dir).values() for p in ps if p.exists()]


def data_version(data_dir: Path = DATA_DIR) -> str:
    """Short hash of the package, the views and every seed file: changes whenever the data changes."""
    digest = hashlib.sha256()
    for path in _version_files(Path(data_dir)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def create_tables(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Create every table of datapackage.json, empty: types, NOT NULL, CHECKs and primary keys."""
    data_dir = Path(data_dir)
    for name in package.resource_names(data_dir):
        con.execute(package.create_table_sql(name, data_dir))


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """The world-supply views of views.sql (shares, ranks, China's share, concentration)."""
    con.execute(VIEWS_FILE.read_text())


def build_database(target: str | Path = ":memory:", data_dir: Path = DATA_DIR) -> duckdb.DuckDBPyConnection:
    """Create every table from datapackage.json, load the seeds and create the views; returns the connection."""
    data_dir = Path(data_dir)
    con = duckdb.connect(str(target))
    try:
        create_tables(con, data_dir)
    except (duckdb.Error, KeyError, ValueError) as exc:
        con.close()
        raise DataError(f"{package.PACKAGE_FILE}: {exc}") from exc
    for table, paths in seed_files(data_dir).items():
        for path in paths:
            try:
                con.execute(
                    f'INSERT INTO "{table}" BY NAME '  # table names come from datapackage.json, never from users
                    "SELECT * FROM read_csv($path, header=true, all_varchar=true)",
                    {"path": str(path)},
                )
            except duckdb.Error as exc:
                con.close()
                raise DataError(f"{path.name}: {exc}") from exc
    create_views(con)
    return con


def _cache_dir() -> Path:
    path = Path(os.environ.get("HEARTLAND_CACHE", Path(tempfile.gettempdir()) / "heartland"))
    path.mkdir(parents=True, exist_ok=True)
    return path


_build_lock = threading.Lock()


@lru_cache(maxsize=4)
def reference_connection(data_dir: Path = DATA_DIR) -> duckdb.DuckDBPyConnection:
    """Read-only connection to the reference database, building it first if needed.

    Thread-safe for callers that take `connection().cursor()` per query.
    """
    path = _cache_dir() / f"reference-{data_version(data_dir)}.duckdb"
    with _build_lock:
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            build_database(tmp, data_dir).close()
            os.replace(tmp, path)  # atomic: a concurrent reader never sees half a database
    return duckdb.connect(str(path), read_only=True)


@lru_cache(maxsize=8)
def named_queries(path: Path = QUERIES_FILE) -> dict[str, str]:
    """The '-- name: x' blocks of a .sql file, by name."""
    blocks = re.split(r"^-- name: (\w+)\s*$", Path(path).read_text(), flags=re.MULTILINE)
    return {name: sql.strip() for name, sql in zip(blocks[1::2], blocks[2::2])}


def query(name: str, con: duckdb.DuckDBPyConnection | None = None, **params) -> pd.DataFrame:
    """Run the named query from queries.sql with bound parameters; returns a fresh DataFrame."""
    sql = named_queries()[name]
    cursor = (con or reference_connection()).cursor()
    try:
        return cursor.execute(sql, params or None).df()
    finally:
        cursor.close()


def table(name: str, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """A whole reference table (the query of the same name)."""
    return query(name, con)
