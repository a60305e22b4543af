"""Saved scenarios (analytics/data/saved.py): every test runs against both stores, a fresh DuckDB file and
a fresh schema in a real PostgreSQL (the saved_store fixture in conftest.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from analytics import model
from analytics.data import saved, store
from analytics.model.scenario import DEFAULTS

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<script>alert(1)</script>'; DROP TABLE saved_scenarios;--"


@pytest.fixture(autouse=True)
def backend(saved_store):
    return saved_store


def _insert_raw(backend, sid, params, url_version=1, data_version=None):
    """A row as an older or damaged version of the app might have left it."""
    saved.count()  # creates the table
    backend[1]({"id": sid, "name": "old", "note": None, "created_utc": datetime(2025, 1, 1), "params": params,
                "url_version": url_version, "app_version": "0.0.1", "data_version": data_version or store.data_version()})


def test_the_configured_store_is_used(backend):
    assert saved.backend() == backend[0]


def test_save_then_load_gives_the_same_scenario_and_results(shipped_data):
    s = DEFAULTS.replace(budget_exim_musd=2000.0, offtake_musd=3000.0, transit_weight_pct=25.0)
    sid = saved.save(s, "EXIM push", "with offtake")
    assert saved.ID_PATTERN.fullmatch(sid) and len(sid) == 16  # 96 random bits: a link cannot be guessed
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
    assert saved.count() == 1  # the table is still there, with its one row


@pytest.mark.parametrize("name, note", [("plan\u202eexe.txt", ""), ("red \x1b[31mname", ""), ("ok", "note \u2066hidden"),
                                        ("ok", "bell\x07")])
def test_names_and_notes_with_control_or_direction_characters_are_refused_with_a_message(name, note):
    with pytest.raises(ValueError, match="invisible control or text-direction character"):
        saved.save(DEFAULTS, name, note)
    assert saved.count() == 0


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
    assert saved.count() == 0


def test_names_at_the_limits_are_kept():
    sid = saved.save(DEFAULTS, "  " + "n" * 80 + "  ", "t" * 500)
    assert saved.load(sid).name == "n" * 80 and len(saved.load(sid).note) == 500


@pytest.mark.parametrize("params,expected_notice", [
    ("{not json", "could not be read"),
    ('["a list"]', "could not be read"),
    (json.dumps({"v": "1", "exim": "lots", "trw": "35"}), "US EXIM general envelope"),
    (json.dumps({"v": "99", "trw": "35"}), "another version"),
])
def test_stale_or_damaged_rows_load_with_notices(backend, params, expected_notice):
    _insert_raw(backend, "oldrow01", params)
    got = saved.load("oldrow01")
    assert got is not None and any(expected_notice in n for n in got.notices), got.notices
    if "35" in params:
        assert got.scenario.transit_weight_pct == 35.0  # the good values are kept


def test_a_row_saved_on_other_data_says_so(backend):
    _insert_raw(backend, "olddata1", json.dumps({"v": "1", "trw": "20"}), data_version="000000000000")
    got = saved.load("olddata1")
    assert got.scenario.transit_weight_pct == 20.0
    assert any("reference data was different" in n for n in got.notices)


def test_the_store_offers_no_listing():
    """A saved scenario is reached only through its link: nothing in the module lists the table."""
    saved.save(DEFAULTS, "SECRET plan of another session")
    assert saved.count() == 1
    assert not hasattr(saved, "list_saved") and not hasattr(saved, "recent")
    assert not any("ORDER BY" in sql.upper() or "LIMIT" in sql.upper()
                   for q in (saved._queries, saved._pg_queries) for sql in q.values())


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
    assert saved.count() == 80
    assert {saved.load(sid).name for sid in ids} == {f"w{k}-{i}" for k in range(8) for i in range(10)}


def test_concurrent_saves_from_processes_lose_nothing():
    """Several app processes sharing one store: a DuckDB file (one process holds it at a time; the others
    wait) or one PostgreSQL database (replicas behind a load balancer)."""
    code = ("import sys; from analytics.data import saved; from analytics.model.scenario import DEFAULTS\n"
            "for i in range(10): saved.save(DEFAULTS, f'p{sys.argv[1]}-{i}')")
    env = dict(os.environ)  # the fixture's store: HEARTLAND_SAVED_DB or HEARTLAND_DATABASE_URL
    procs = [subprocess.Popen([sys.executable, "-c", code, str(k)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
             for k in range(2)]
    for _ in range(10):
        saved.save(DEFAULTS, "main")
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()[-2000:]
    assert saved.count() == 30


def test_an_unusable_store_says_so_in_words(backend, tmp_path, monkeypatch):
    if backend[0] == "postgresql":
        from pg import free_port

        for url in (f"postgresql://nobody@127.0.0.1:{free_port()}/x",  # nothing listens there
                    "postgresql://nobody@127.0.0.1:notaport/x", "mysql://root@127.0.0.1/x"):
            monkeypatch.setenv("HEARTLAND_DATABASE_URL", url)
            with pytest.raises(saved.StoreUnavailable, match="unavailable") as exc:
                saved.save(DEFAULTS, "x")
            assert "nobody" not in str(exc.value)  # the address is not shown
        return
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path))  # a directory, not a database file
    with pytest.raises(saved.StoreUnavailable, match="unavailable"):
        saved.save(DEFAULTS, "x")
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(broken))
    with pytest.raises(saved.StoreUnavailable):
        saved.load("abcdefgh")
