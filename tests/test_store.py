"""The DuckDB store: built from data/, read-only, parameterised."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from analytics.data import store


def test_every_seed_table_loads(shipped_con):
    for table in store.SEED_FILES:
        assert store.table(table, shipped_con) is not None


def test_hostile_value_is_a_parameter_not_sql(shipped_con):
    hostile = "x' OR '1'='1"
    assert store.query("source_by_id", shipped_con, source_id=hostile).empty
    assert not store.table("sources", shipped_con).empty  # nothing was dropped or altered


def test_reference_database_is_read_only():
    con = store.reference_connection()
    with pytest.raises(duckdb.Error):
        con.cursor().execute("DELETE FROM sources")


def test_a_broken_seed_names_its_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(store.DATA_DIR, data)
    (data / "projects.csv").write_text((data / "projects.csv").read_text().replace("operating", "dreaming", 1))
    with pytest.raises(store.DataError, match="projects.csv"):
        store.build_database(":memory:", data)


def test_data_version_changes_with_the_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(store.DATA_DIR, data)
    before = store.data_version(data)
    with open(data / "sources.csv", "a") as f:
        f.write("extra,Publisher,Title,2026,https://example.org,2026-11-25,\n")
    assert store.data_version(data) != before
