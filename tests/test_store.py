"""The DuckDB store: built from data/ as datapackage.json describes it, read-only, parameterised."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from analytics.data import package, store


def test_every_table_and_view_loads(shipped_con):
    for name in store.TABLES + store.VIEWS:
        assert store.table(name, shipped_con) is not None


def test_tables_follow_the_package(shipped_con):
    """Each table the store builds from the package has the package's columns, in order, with its types."""
    for name in package.resource_names():
        described = [(r.name, r.sql_type) for r in package.field_rules(name).values()]
        built = [(c, t) for c, t, *_ in shipped_con.execute(f'DESCRIBE "{name}"').fetchall()]  # name from the package
        assert built == described, name


def test_package_constraints_reach_the_database():
    con = duckdb.connect()
    store.create_tables(con)
    row = dict(mineral_id="tungsten", stage="mine", country="China", year=2025, value=1.0, unit="t W content",
               is_estimate=False, source_id="s", note=None)
    insert = ("INSERT INTO world_production VALUES ($mineral_id, $stage, $country, $year, $value, $unit, "
              "$is_estimate, $source_id, $note)")
    con.execute(insert, row)
    for bad in (dict(stage="dreaming"), dict(value=-1.0), dict(mineral_id="unobtainium"), dict(year=None)):
        with pytest.raises(duckdb.ConstraintException):
            con.execute(insert, {**row, "country": "Peru", **bad})
    with pytest.raises(duckdb.ConstraintException):  # primary key
        con.execute(insert, row)
    con.close()


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
    path = data / "world_production.csv"
    path.write_text(path.read_text().replace(",mine,", ",dreaming,", 1))
    with pytest.raises(store.DataError, match="world_production.csv"):
        store.build_database(":memory:", data)


def test_a_broken_package_is_a_data_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(store.DATA_DIR, data)
    descriptor = json.loads((data / "datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"][0]["type"] = "no-such-type"
    (data / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(store.DataError, match="datapackage.json"):
        store.build_database(":memory:", data)


def test_data_version_changes_with_the_data_and_the_package(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(store.DATA_DIR, data)
    before = store.data_version(data)
    with open(data / "sources.csv", "a") as f:
        f.write("extra,Publisher,Title,2026,https://example.org,2026-11-25,\n")
    after_csv = store.data_version(data)
    assert after_csv != before
    text = (data / "datapackage.json").read_text().replace('"vintage": "2024-2025"', '"vintage": "2025"', 1)
    (data / "datapackage.json").write_text(text)
    assert store.data_version(data) != after_csv
