"""The one place that talks to DuckDB.

The reference database is built from the CSV seeds in data/ on first use (to a file named
after a hash of the seeds, so editing a CSV rebuilds it) and opened read-only afterwards.
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

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
QUERIES_FILE = Path(__file__).resolve().parent / "queries.sql"

# table -> CSV glob in data/ (sources are split across files by whoever researched them)
SEED_FILES: dict[str, str] = {
    "sources": "sources*.csv",
    "minerals": "minerals.csv",
    "mineral_shares": "mineral_shares.csv",
    "projects": "projects.csv",
    "project_owners": "project_owners.csv",
    "contracts": "contracts.csv",
    "commitments": "commitments.csv",
    "route_shares": "route_shares.csv",
    "financiers": "financiers.csv",
    "corridors": "corridors.csv",
    "routes": "routes.csv",
    "processing_capacity": "processing_capacity.csv",
    "export_controls": "export_controls.csv",
    "claims": "claims.csv",
    "kazakhstan_outline": "kazakhstan_outline.csv",
}


class DataError(RuntimeError):
    """The seed data in data/ could not be loaded; the message names the file and why."""


def _seed_paths(data_dir: Path) -> dict[str, list[Path]]:
    return {table: sorted(data_dir.glob(pattern)) for table, pattern in SEED_FILES.items()}


def data_version(data_dir: Path = DATA_DIR) -> str:
    """Short hash of the schema and every seed file: changes whenever the data changes."""
    digest = hashlib.sha256()
    for path in [data_dir / "schema.sql", *(p for ps in _seed_paths(data_dir).values() for p in ps)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_database(target: str | Path = ":memory:", data_dir: Path = DATA_DIR) -> duckdb.DuckDBPyConnection:
    """Create every table from data/schema.sql and load the seeds; returns the open connection."""
    con = duckdb.connect(str(target))
    con.execute((data_dir / "schema.sql").read_text())
    for table, paths in _seed_paths(data_dir).items():
        for path in paths:
            try:
                con.execute(
                    f"INSERT INTO {table} BY NAME "  # table names come from SEED_FILES, never from users
                    "SELECT * FROM read_csv($path, header=true, all_varchar=true)",
                    {"path": str(path)},
                )
            except duckdb.Error as exc:
                con.close()
                raise DataError(f"{path.name}: {exc}") from exc
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
