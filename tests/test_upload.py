"""Users' own projects CSV (analytics/upload.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import model, upload
from analytics.scenario import DEFAULTS

MINERALS = {"tungsten", "uranium", "copper"}


def _csv(**changes) -> bytes:
    df = pd.read_csv(__import__("io").BytesIO(upload.template_csv()))
    for k, v in changes.items():
        df[k] = v
    return df.to_csv(index=False).encode()


def test_template_is_valid_and_extends_the_solve(shipped_data):
    projects, errors = upload.validate_projects(upload.template_csv(), set(shipped_data.minerals.mineral_id),
                                                set(shipped_data.projects.project_id))
    assert errors == [] and len(projects) == 1
    merged = upload.merge_projects(shipped_data.projects, projects, "extend")
    assert len(merged) == len(shipped_data.projects) + 1
    r = model.run(shipped_data.replace_projects(merged), DEFAULTS)
    assert r.ok and "my-tungsten" in set(r.flows.project_id) | set(merged.project_id)


@pytest.mark.parametrize("changes,expected", [
    ({"capacity_tpy": -1}, "row 2: capacity_tpy must be >= output_tpy"),
    ({"lat": 10}, "row 2: lat/lon (10, 75.1) is outside Kazakhstan"),
    ({"offtake_allied_pct": 90}, "row 2: offtake shares sum to 90, not 100"),
    ({"mineral_id": "kryptonite"}, "row 2: mineral_id 'kryptonite' is not one of the shipped minerals"),
    ({"stage": "dreaming"}, "row 2: stage must be one of"),
    ({"owner_origin": "martian"}, "row 2: owner_origin must be one of"),
    ({"capex_musd": "lots"}, "row 2: capex_musd must be a number (got 'lots')"),
    ({"source_id": ""}, "row 2: source_id is empty"),
])
def test_each_bad_value_is_named_by_row_and_column(changes, expected):
    projects, errors = upload.validate_projects(_csv(**changes), MINERALS)
    assert projects is None
    assert any(e.startswith(expected) for e in errors), errors


@pytest.mark.parametrize("data,expected", [
    (b"", "empty"),
    (b"\xff\xfe\x00garbage\x00", "not UTF-8"),
    (b"a,b\n1,2\n", "Missing column(s)"),
    (b"x" * (upload.MAX_BYTES + 1), "limit is 1 MB"),
])
def test_unreadable_files_say_why(data, expected):
    projects, errors = upload.validate_projects(data, MINERALS)
    assert projects is None and expected in errors[0]


def test_row_limit_and_duplicates():
    one = pd.read_csv(__import__("io").BytesIO(upload.template_csv()))
    many = pd.concat([one] * (upload.MAX_ROWS + 1), ignore_index=True)
    many["project_id"] = [f"p{i}" for i in range(len(many))]
    assert "limit is 500" in upload.validate_projects(many.to_csv(index=False).encode(), MINERALS)[1][0]
    twice = pd.concat([one, one]).to_csv(index=False).encode()
    assert any("appears more than once" in e for e in upload.validate_projects(twice, MINERALS)[1])


def test_extend_refuses_shipped_ids_replace_allows_them():
    data = _csv(project_id="u-a")
    assert any("already a shipped project" in e for e in upload.validate_projects(data, MINERALS, {"u-a"})[1])
    projects, errors = upload.validate_projects(data, MINERALS, {"u-a"}, mode="replace")
    assert errors == [] and list(projects.project_id) == ["u-a"]
