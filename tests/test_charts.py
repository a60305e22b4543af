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
