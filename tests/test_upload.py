"""Users' own projects CSV (analytics/data/upload.py)."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from analytics.data import upload
from analytics.model.scenario import DEFAULTS

MINERALS = {"tungsten", "uranium", "copper"}


def _frame() -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(upload.template_csv()), dtype=str, keep_default_na=False)


def _csv(rows: int = 1, **changes) -> bytes:
    """The template's example `rows` times (ids p1, p2...), with `changes` applied to the last row."""
    df = pd.concat([_frame()] * rows, ignore_index=True)
    df["project_id"] = [f"p{i + 1}" for i in range(rows)]
    for k, v in changes.items():
        df.loc[rows - 1, k] = str(v)
    return df.to_csv(index=False).encode()


def test_template_follows_the_schema():
    schema = upload.projects_schema()
    assert list(_frame().columns) == list(schema.columns)
    assert schema.choices["stage"] == ("operating", "expansion", "construction", "feasibility", "exploration")
    assert ("capacity_tpy", "output_tpy") in schema.at_least
    assert {"output_tpy", "capacity_tpy", "offtake_china_pct"} <= set(schema.required) & set(schema.numeric)
    assert {"lat", "lon", "capex_musd", "lead_time_years"} <= set(schema.numeric) - set(schema.required)


def test_extend_adds_the_projects_to_the_solve(shipped_data):
    projects, errors = upload.validate_projects(upload.template_csv(), shipped_data.minerals,
                                                set(shipped_data.projects.project_id))
    assert errors == [] and list(projects.project_id) == ["my-tungsten"]
    assert projects.capacity_tpy.dtype == float and bool(projects.capex_is_estimate.iloc[0])
    merged = upload.merge_projects(shipped_data.projects, projects, "extend")
    assert len(merged) == len(shipped_data.projects) + 1
    assert upload.solve_with_projects(shipped_data, merged, DEFAULTS).ok
    assert len(shipped_data.projects) == len(merged) - 1  # the shipped table is untouched


def test_replace_solves_on_the_uploaded_projects_only(shipped_data):
    """One producing tungsten project sending everything to China: dependence today is 100 %."""
    data = _csv(output_tpy=1000, capacity_tpy=1000, offtake_china_pct=100, offtake_allied_pct=0)
    projects, errors = upload.validate_projects(data, shipped_data.minerals, set(shipped_data.projects.project_id),
                                                mode="replace")
    assert errors == []
    merged = upload.merge_projects(shipped_data.projects, projects, "replace")
    assert list(merged.project_id) == ["p1"]
    r = upload.solve_with_projects(shipped_data, merged, DEFAULTS)
    assert r.dependence_before_pct == pytest.approx(100.0)
    assert set(r.flows.project_id) == {"p1"}


@pytest.mark.parametrize("changes,expected", [
    ({"capacity_tpy": 10, "output_tpy": 20}, "row 3: capacity_tpy must be >= output_tpy (got 10 < 20)"),
    ({"output_tpy": -1}, "row 3: output_tpy must be >= 0"),
    ({"capex_musd": -5}, "row 3: capex_musd must be >= 0"),
    ({"lead_time_years": -1}, "row 3: lead_time_years must be >= 0"),
    ({"lat": 10}, "row 3: lat 10 is outside Kazakhstan (40.5 to 55.5)"),
    ({"lon": 100}, "row 3: lon 100 is outside Kazakhstan (46.4 to 87.4)"),
    ({"offtake_allied_pct": 150}, "row 3: offtake_allied_pct must be between 0 and 100 (got 150)"),
    ({"offtake_allied_pct": 90}, "row 3: offtake shares"),
    ({"mineral_id": "kryptonite"}, "row 3: mineral_id 'kryptonite' is not one of the shipped minerals"),
    ({"stage": "dreaming"}, "row 3: stage must be one of operating, expansion"),
    ({"stage": "martian"}, "row 3: stage must be one of"),
    ({"capex_musd": "lots"}, "row 3: capex_musd must be a number (got 'lots')"),
    ({"lat": "inf"}, "row 3: lat must be a number"),
    ({"output_tpy": ""}, "row 3: output_tpy must be a number"),
    ({"output_is_estimate": "maybe"}, "row 3: output_is_estimate must be true or false"),
    ({"source_id": ""}, "row 3: source_id is empty"),
    ({"name": ""}, "row 3: name is empty"),
    ({"name": "n" * 201}, "row 3: name is longer than 200 characters"),
    ({"project_id": "p1"}, "row 3: project_id 'p1' appears more than once (row 2, row 3)"),
])
def test_each_bad_value_is_named_by_row_and_column(changes, expected):
    projects, errors = upload.validate_projects(_csv(rows=2, **changes), MINERALS)
    assert projects is None
    assert any(e.startswith(expected) for e in errors), errors
    assert not any(e.startswith("row 2") for e in errors), errors  # the good row is not blamed


def test_offtake_that_sums_within_one_point_is_accepted():
    data = _csv(offtake_allied_pct=99.5)
    assert upload.validate_projects(data, MINERALS)[1] == []


def test_every_problem_is_listed_in_row_order():
    _, errors = upload.validate_projects(_csv(rows=3, lat=0, stage="x"), MINERALS)
    assert [e.split(":")[0] for e in errors] == ["row 4", "row 4"]


@pytest.mark.parametrize("data,expected", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\xff\xfe\x00garbage\x00", "UTF-16"),
    (bytes(range(256)) * 10, "binary data"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ("caf\u00e9,x\n".encode("latin-1"), "not UTF-8"),
    (b"a,b\n1,2\n", "Missing column(s): project_id"),
    (b"project_id;name;mineral_id\n1;2;3\n", "use ';'"),
    (b'"unclosed\n' + b"x" * 10, "could not be read as CSV"),
    (b"x" * (upload.MAX_BYTES + 1), "limit is 1 MB"),
])
def test_unreadable_files_say_why(data, expected):
    projects, errors = upload.validate_projects(data, MINERALS)
    assert projects is None and len(errors) == 1 and expected in errors[0], errors


def test_header_only_and_row_limit():
    assert "no projects" in upload.validate_projects(_frame().head(0).to_csv(index=False).encode(), MINERALS)[1][0]
    data = _csv(rows=upload.MAX_ROWS + 1)
    assert len(data) < upload.MAX_BYTES
    assert "limit is 500" in upload.validate_projects(data, MINERALS)[1][0]
    assert upload.validate_projects(_csv(rows=upload.MAX_ROWS), MINERALS)[1] == []


def test_many_problems_are_capped_with_a_count():
    data = _csv(rows=upload.MAX_ROWS)
    df = pd.read_csv(io.BytesIO(data), dtype=str)
    df["lat"] = "x"
    _, errors = upload.validate_projects(df.to_csv(index=False).encode(), MINERALS)
    assert len(errors) == upload.MAX_MESSAGES + 1 and errors[-1] == f"... and {upload.MAX_ROWS - 50} more."


def test_extend_refuses_shipped_ids_replace_allows_them():
    data = _csv(project_id="u-a")
    _, errors = upload.validate_projects(data, MINERALS, {"u-a"})
    assert errors == ["row 2: project_id 'u-a' is already a shipped project; rename it, or choose 'replace'."]
    projects, errors = upload.validate_projects(data, MINERALS, {"u-a"}, mode="replace")
    assert errors == [] and list(projects.project_id) == ["u-a"]


def test_cells_are_trimmed_and_hostile_text_is_kept_as_text():
    name = "=cmd|'/c calc'!A1 <script>x</script>"
    projects, errors = upload.validate_projects(_csv(project_id="  p1 ", name=name, stage=" feasibility"), MINERALS)
    assert errors == [] and projects.project_id[0] == "p1" and projects.name[0] == name
    assert projects.stage[0] == "feasibility"


def test_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError, match="mode"):
        upload.validate_projects(upload.template_csv(), MINERALS, mode="merge")
