"""Saved scenarios (analytics/data/saved.py): each test has its own database file."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import model
from analytics.data import saved, store
from analytics.model.scenario import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script>'; DROP TABLE saved_scenarios;--"


@pytest.fixture(autouse=True)
def saved_db(tmp_path, monkeypatch):
    path = tmp_path / "saved.duckdb"
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(path))
    return path


def _insert_raw(path, sid, params, url_version=1, data_version=None):
    """A row as an older or damaged version of the app might have left it."""
    saved.list_saved()  # creates the table
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO saved_scenarios VALUES ($id, 'old', NULL, $t, $p, $v, '0.0.1', $d)",
                    {"id": sid, "t": datetime(2025, 1, 1), "p": params, "v": url_version,
                     "d": data_version or store.data_version()})


def test_save_then_load_gives_the_same_scenario_and_results(shipped_data):
    s = DEFAULTS.replace(budget_exim_musd=2000.0, offtake_musd=3000.0, transit_weight_pct=25.0)
    sid = saved.save(s, "EXIM push", "with offtake")
    assert saved.ID_PATTERN.fullmatch(sid) and len(sid) == 8
    got = saved.load(sid)
    assert got.scenario == s and got.name == "EXIM push" and got.note == "with offtake" and got.notices == ()
    assert got.data_version == store.data_version() and got.app_version and got.url_version == 2
    a, b = model.run(shipped_data, s), model.run(shipped_data, got.scenario)
    assert a.dependence_after_pct == pytest.approx(b.dependence_after_pct)
    assert a.financing_used_musd == pytest.approx(b.financing_used_musd)
    pd.testing.assert_frame_equal(a.by_mineral, b.by_mineral, rtol=1e-9, atol=1e-9)


def test_hostile_names_and_notes_are_stored_verbatim():
    sid = saved.save(DEFAULTS, HOSTILE, note=HOSTILE + "\nsecond line")
    got = saved.load(sid)
    assert got.name == HOSTILE and got.note == HOSTILE + "\nsecond line"
    assert list(saved.list_saved().name) == [HOSTILE]  # the table is still there, with its one row


@pytest.mark.parametrize("sid", ["", "nope", "../../etc", "x' OR 1=1 --", "A" * 40, None, 12345678, "aaaaaaaa"])
def test_unknown_or_bad_ids_give_none(sid):
    saved.save(DEFAULTS, "something")  # a non-empty store, so a wildcard match would show
    assert saved.load(sid) is None


@pytest.mark.parametrize("name,note,message", [
    ("", "", "Give the scenario a name"), ("   ", "", "Give the scenario a name"),
    ("x" * 81, "", "name is 81 characters long; at most 80"),
    ("ok", "y" * 501, "note is 501 characters long; at most 500"),
    (None, "", "Give the scenario a name"), (["a"], "", "must be text"),
])
def test_name_and_note_limits_say_which(name, note, message):
    with pytest.raises(ValueError, match=message):
        saved.save(DEFAULTS, name, note)
    assert saved.list_saved().empty


def test_names_at_the_limits_are_kept():
    sid = saved.save(DEFAULTS, "  " + "n" * 80 + "  ", "t" * 500)
    assert saved.load(sid).name == "n" * 80 and len(saved.load(sid).note) == 500


@pytest.mark.parametrize("params,expected_notice", [
    ("{not json", "could not be read"),
    ('["a list"]', "could not be read"),
    (json.dumps({"v": "1", "exim": "lots", "trw": "35"}), "US EXIM general envelope"),
    (json.dumps({"v": "99", "trw": "35"}), "another version"),
])
def test_stale_or_damaged_rows_load_with_notices(saved_db, params, expected_notice):
    _insert_raw(saved_db, "oldrow01", params)
    got = saved.load("oldrow01")
    assert got is not None and any(expected_notice in n for n in got.notices), got.notices
    if "35" in params:
        assert got.scenario.transit_weight_pct == 35.0  # the good values are kept


def test_a_row_saved_on_other_data_says_so(saved_db):
    _insert_raw(saved_db, "olddata1", json.dumps({"v": "1", "trw": "20"}), data_version="000000000000")
    got = saved.load("olddata1")
    assert got.scenario.transit_weight_pct == 20.0
    assert any("reference data was different" in n for n in got.notices)


def test_list_saved_is_newest_first_and_limited():
    ids = [saved.save(DEFAULTS.replace(transit_weight_pct=float(i)), f"s{i}") for i in range(5)]
    listed = saved.list_saved(limit=3)
    assert list(listed.id) == ids[::-1][:3]
    assert {"id", "name", "note", "created_utc", "data_version"} <= set(listed.columns)


def test_concurrent_saves_from_threads_lose_nothing():
    ids, errors = [], []

    def worker(k):
        try:
            for i in range(10):
                ids.append(saved.save(DEFAULTS.replace(transit_weight_pct=float(k * 10 + i) % 100), f"w{k}-{i}"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(ids)) == 80
    rows = saved.list_saved(limit=200)
    assert len(rows) == 80 and set(rows.id) == set(ids)
    assert set(rows.name) == {f"w{k}-{i}" for k in range(8) for i in range(10)}
    assert saved.load(ids[-1]).name in set(rows.name)


def test_concurrent_saves_from_processes_lose_nothing(saved_db):
    """Two app processes sharing one file: DuckDB lets one hold it at a time; the other waits."""
    code = ("import sys; from analytics.data import saved; from analytics.model.scenario import DEFAULTS\n"
            "for i in range(10): saved.save(DEFAULTS, f'p{sys.argv[1]}-{i}')")
    env = {**os.environ, "HEARTLAND_SAVED_DB": str(saved_db)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(k)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
             for k in range(2)]
    for _ in range(10):
        saved.save(DEFAULTS, "main")
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    assert len(saved.list_saved(limit=100)) == 30


def test_an_unusable_store_says_so_in_words(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path))  # a directory, not a database file
    with pytest.raises(saved.StoreUnavailable, match="unavailable"):
        saved.save(DEFAULTS, "x")
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(broken))
    with pytest.raises(saved.StoreUnavailable):
        saved.load("abcdefgh")
