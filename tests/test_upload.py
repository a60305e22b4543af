"""Users' own projects CSV (analytics/data/upload.py)."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from analytics import model
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
    ({"output_tpy": -1}, "row 3: output_tpy must be between 0 and 1e9 t/yr (got -1)"),
    ({"capex_musd": -5}, "row 3: capex_musd must be between 0 and 100000 M USD (got -5)"),
    ({"lead_time_years": -1}, "row 3: lead_time_years must be between 0 and 30 years (got -1)"),
    ({"lat": 10}, "row 3: lat must be between 40.5 and 55.5 degrees north (inside Kazakhstan) (got 10)"),
    ({"lon": 100}, "row 3: lon must be between 46.4 and 87.4 degrees east (inside Kazakhstan) (got 100)"),
    ({"offtake_allied_pct": 150}, "row 3: offtake_allied_pct must be between 0 and 100 % (got 150)"),
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


# ----------------------------------------------------------------------------- hostile uploads (issue 8)

def _rows_of(data: bytes) -> list[str]:
    return data.decode().splitlines()


def test_upload_row_with_a_trailing_comma_is_refused_with_a_message():
    header, row = _rows_of(_csv())
    projects, errors = upload.validate_projects(f"{header}\n{row},\n".encode(), MINERALS)
    assert projects is None
    assert errors == [f"row 2 has {len(header.split(',')) + 1} values but the header has {len(header.split(','))} "
                      "columns (a trailing comma?): every row must have one value per column."]


def test_upload_row_with_more_values_than_the_header_is_refused_with_a_message():
    header, row = _rows_of(_csv())
    projects, errors = upload.validate_projects(f"{header}\n{row}\n{row},extra,values\n".encode(), MINERALS)
    assert projects is None and errors[0].startswith("row 3 has") and "trailing comma" not in errors[0]


def test_upload_row_with_fewer_values_reads_the_missing_ones_as_empty():
    header, row = _rows_of(_csv(note=""))
    assert row.endswith(",")  # the note is the last column
    projects, errors = upload.validate_projects(f"{header}\n{row[:-1]}\n".encode(), MINERALS)
    assert errors == [] and projects.note[0] == ""


@pytest.mark.parametrize("column,value", [("output_tpy", "1e308"), ("capacity_tpy", "1e308"),
                                          ("capex_musd", "1e308"), ("output_tpy", "-1e308")])
def test_upload_output_and_capacity_of_1e308_are_refused_with_their_range(column, value):
    changes = {"output_tpy": 10, "capacity_tpy": 1e308} if column == "capacity_tpy" else {column: value}
    projects, errors = upload.validate_projects(_csv(**changes), MINERALS)
    assert projects is None
    bound = upload.projects_schema().ranges[column]
    assert any(e.startswith(f"row 2: {column} must be between {upload._num(bound.lo)} and {upload._num(bound.hi)}")
               for e in errors), errors


def test_output_tpy_message_states_the_range_and_unit():
    _, errors = upload.validate_projects(_csv(output_tpy="1e308", capacity_tpy="1e308"), MINERALS)
    assert "row 2: output_tpy must be between 0 and 1e9 t/yr (got 1e308)." in errors


@pytest.mark.parametrize("value,why", [("1e308", "between 0 and 30 years"), ("1e-320", "0 or at least 1e-6 years"),
                                       ("2.5", "whole number of years"), ("-0.5", "between 0 and 30 years")])
def test_upload_lead_time_of_1e308_or_1e_minus_320_years_is_refused(value, why):
    projects, errors = upload.validate_projects(_csv(lead_time_years=value), MINERALS)
    assert projects is None and any(e.startswith("row 2: lead_time_years") and why in e for e in errors), errors


def test_upload_at_the_bounds_is_accepted_and_solves(shipped_data):
    """The largest plausible figures pass and the solver gets finite numbers (it crashed on 1e308)."""
    projects, errors = upload.validate_projects(
        _csv(mineral_id="tungsten", output_tpy=1e9, capacity_tpy=1e9, capex_musd=1e5, lead_time_years=30),
        shipped_data.minerals, set(shipped_data.projects.project_id))
    assert errors == []
    r = upload.solve_with_projects(shipped_data, upload.merge_projects(shipped_data.projects, projects, "extend"),
                                   DEFAULTS)
    assert r.status is not model.Status.ERROR, r.message


def test_every_numeric_column_has_a_plausible_range():
    """A numeric column added to the schema needs an entry in upload.BOUNDS (else it is held to the
    wide default bound)."""
    schema = upload.projects_schema()
    assert set(schema.numeric) <= set(upload.BOUNDS)
    assert all(b.lo < b.hi and abs(b.hi) < 1e12 for b in schema.ranges.values())


def test_upload_of_990_kb_of_wide_rows_is_refused_at_the_first_wide_row():
    header, row = _rows_of(_csv())
    wide = row + "," * 20_000
    data = "\n".join([header] + [wide] * 48).encode()
    assert 900_000 < len(data) < upload.MAX_BYTES
    projects, errors = upload.validate_projects(data, MINERALS)
    assert projects is None and errors[0].startswith(f"row 2 has {len(header.split(',')) + 20_000} values")


def test_upload_with_a_header_of_many_thousand_columns_is_refused():
    data = (",".join(f"c{i}" for i in range(50_000)) + "\n").encode()
    projects, errors = upload.validate_projects(data, MINERALS)
    assert projects is None and "The header has 50,000 columns" in errors[0]


class _Endless(io.RawIOBase):
    """A file that never ends (an upload larger than it says); counts what was read."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, b):
        b[:] = b"x" * len(b)
        self.read_bytes += len(b)
        return len(b)


def test_upload_larger_than_the_limit_is_refused_after_reading_only_the_limit():
    f = _Endless()
    projects, errors = upload.validate_projects(f, MINERALS)
    assert projects is None and "the limit is 1 MB" in errors[0]
    assert f.read_bytes <= upload.MAX_BYTES + 1


def test_upload_as_a_file_object_reads_like_bytes():
    projects, errors = upload.validate_projects(io.BytesIO(_csv()), MINERALS)
    assert errors == [] and list(projects.project_id) == ["p1"]


@pytest.mark.parametrize("name,code", [("evil\u202egpj.exe", "U+202E"), ("a\u2066b\u2069", "U+2066"),
                                       ("red\x1b[31mtext", "U+001B"), ("csi\x9b2J", "U+009B"),
                                       ("bell\x07", "U+0007")])
def test_upload_name_with_bidi_override_or_terminal_escape_is_refused(name, code):
    projects, errors = upload.validate_projects(_csv(name=name), MINERALS)
    assert projects is None
    assert any(e.startswith("row 2: name contains control or text-direction characters") and code in e
               for e in errors), errors


@pytest.mark.parametrize("value", ["5e-324", "1e-300", "0.000001"])
def test_upload_output_of_5e_minus_324_t_is_refused_as_no_figure(value):
    """Found by fuzzing: outputs of 5e-324 t/yr passed and the solver was handed NaN; 1e-6 t/yr left no
    flow above the summary's rounding and the summary crashed."""
    projects, errors = upload.validate_projects(_csv(output_tpy=value, capacity_tpy=1000), MINERALS)
    assert projects is None
    assert f"row 2: output_tpy must be 0 or at least 0.001 t/yr (got {upload._num(float(value))})." in errors
