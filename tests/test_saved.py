"""Saved scenarios (analytics/saved.py)."""
from __future__ import annotations

import threading

import pytest

from analytics import model, saved
from analytics.scenario import DEFAULTS


@pytest.fixture(autouse=True)
def saved_db(tmp_path, monkeypatch):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path / "saved.duckdb"))


def test_save_then_load_gives_the_same_results(shipped_data):
    s = DEFAULTS.replace(budget_exim_musd=2000, offtake_musd=3000, project_mode="whole")
    sid = saved.save(s, "EXIM push", "with offtake")
    got = saved.load(sid)
    assert got.scenario == s and got.name == "EXIM push" and got.note == "with offtake"
    a, b = model.run(shipped_data, s), model.run(shipped_data, got.scenario)
    assert a.dependence_after_pct == pytest.approx(b.dependence_after_pct)


def test_hostile_names_are_stored_verbatim():
    name = "<script>alert(1)</script>'; DROP TABLE saved_scenarios;--"
    sid = saved.save(DEFAULTS, name)
    assert saved.load(sid).name == name
    assert len(saved.recent()) == 1


@pytest.mark.parametrize("sid", ["", "nope", "../../etc", "x' OR 1=1 --", "A" * 40, None])
def test_unknown_or_bad_ids_give_none(sid):
    assert saved.load(sid) is None


@pytest.mark.parametrize("name,note,message", [("", "", "name"), ("x" * 81, "", "at most 80"),
                                               ("ok", "y" * 501, "at most 500")])
def test_name_and_note_limits(name, note, message):
    with pytest.raises(ValueError, match=message):
        saved.save(DEFAULTS, name, note)


def test_concurrent_saves_lose_nothing():
    ids, errors = [], []

    def worker(k):
        try:
            for i in range(10):
                ids.append(saved.save(DEFAULTS.replace(lockin_pct=float(k * 10 + i) % 100), f"w{k}-{i}"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(ids)) == 80
    assert len(saved.recent(limit=200)) == 80
