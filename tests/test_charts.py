"""Charts are functions of DataFrames: they build valid Vega-Lite specs from real results."""
from __future__ import annotations

from analytics import model
from analytics.model.scenario import Scenario
from analytics.present import charts


def test_explorer_charts_build_from_a_result(shipped_data):
    r = model.run(shipped_data, Scenario(offtake_musd=5000))
    names = dict(zip(shipped_data.minerals.mineral_id, shipped_data.minerals.name))
    specs = [charts.offtake_chart(r.offtake_by_destination, names).to_dict(),
             charts.dependence_chart(r.by_mineral).to_dict(),
             charts.utilisation_chart(r.constraints).to_dict()]
    if not r.financing.empty:
        specs.append(charts.financing_chart(r.financing).to_dict())
    for spec in specs:
        assert "$schema" in spec


def test_utilisation_marks_binding_limits(shipped_data):
    r = model.run(shipped_data, Scenario(offtake_musd=5000))
    data = charts.utilisation_chart(r.constraints).data
    binding = data[data.state == "binding"]
    assert (binding.used_pct > 99.9).all()
    assert data.used_pct.between(0, 100).all()


def _normalised(spec: dict) -> tuple[str, dict]:
    """(spec without data, config and $schema, as JSON with the dataset called 'table'), rows."""
    import json

    spec = dict(spec)
    datasets = spec.pop("datasets")
    spec.pop("config", None)
    spec.pop("$schema", None)
    (name, rows), = datasets.items()
    text = json.dumps(spec, sort_keys=True).replace(json.dumps(name), '"table"')
    return text, rows


def test_explorer_chart_templates_draw_what_the_altair_charts_draw(shipped_data):
    """The explorer draws from templates built once (speed under many users): same marks, encodings and
    rows as the Altair chart of the same result."""
    import pandas as pd

    r = model.run(shipped_data, Scenario(offtake_musd=5000, budget_dfc_musd=2000))
    w = model.waterfall(shipped_data, r.scenario)
    names = dict(zip(shipped_data.minerals.mineral_id, shipped_data.minerals.name))
    pairs = [(charts.offtake_chart(r.offtake_by_destination, names), charts.offtake_spec(r.offtake_by_destination, names)),
             (charts.dependence_chart(r.by_mineral), charts.dependence_spec(r.by_mineral)),
             (charts.financing_chart(r.financing), charts.financing_spec(r.financing)),
             (charts.utilisation_chart(r.constraints), charts.utilisation_spec(r.constraints)),
             (charts.waterfall_chart(w), charts.waterfall_spec(w))]
    for chart, spec in pairs:
        altair_text, altair_rows = _normalised(chart.to_dict())
        template_text, frame = _normalised(spec)
        assert template_text == altair_text
        expected = pd.DataFrame(altair_rows)
        pd.testing.assert_frame_equal(frame[list(expected.columns)].reset_index(drop=True), expected,
                                      check_dtype=False)
    # a second result reuses the template: different rows, same structure
    other = charts.dependence_spec(model.run(shipped_data, Scenario(offtake_musd=0)).by_mineral)
    assert _normalised(other)[0] == _normalised(pairs[1][1])[0]
