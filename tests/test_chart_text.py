"""No chart cuts a word short: every chart the pages draw, in English and in Russian, rendered to SVG by
vl-convert (the same Vega the browser runs), has no axis label, legend entry or title that Vega cut with an
ellipsis. The app's own abbreviations (a long project or limit name shortened in the data) are allowed: the
chart's tooltip carries the full name."""
from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd
import pytest
import vl_convert as vlc

from analytics import model
from analytics.analyses import compare, risk, supply
from analytics.analyses import projects as catalogue_projects
from analytics.data import sources, store
from analytics.model.presets import PRESETS
from analytics.model.scenario import Scenario
from analytics.present import charts
from analytics.present.charts import catalogue as catalogue_charts
from analytics.present.charts import compare as compare_charts
from analytics.present.charts import insight
from analytics.present.display import limits
from analytics.present.i18n import language

ELLIPSIS = "…"


@lru_cache(maxsize=1)
def _inputs():
    data = model.load_model_data()
    result = model.run(data, Scenario(offtake_musd=2000, budget_dfc_musd=1500, budget_exim_musd=1500))
    tables = sources.load_tables(reader=store.table)
    world = supply.load_world(reader=store.table)
    return data, result, model.waterfall(data, result.scenario), tables, world


def _specs() -> dict[str, dict]:
    data, result, steps, tables, world = _inputs()
    names = dict(zip(data.minerals.mineral_id, data.minerals.name))
    constraints = result.constraints.assign(label=limits.labels(result.constraints, limits.Names.of(data)))
    projects = catalogue_projects.with_derived(tables.projects, tables.minerals, tables.project_owners)
    draws = risk.simulate(result.flows, risk.prices(data.minerals), risk.RiskInputs(), n_draws=500, seed=1)
    cmp = compare.compare({"Current scenario": result.scenario, "Preset: Status quo": PRESETS["status_quo"].scenario},
                          lambda s, seconds=None: model.run(data, s))
    return {
        "waterfall": charts.waterfall_spec(steps),
        "offtake": charts.offtake_spec(result.offtake_by_destination, names),
        "dependence": charts.dependence_spec(result.by_mineral),
        "financing": charts.financing_spec(result.financing),
        "utilisation": charts.utilisation_spec(constraints.assign(label_shown=constraints.label)),
        "overview map": charts.project_map_spec(projects, tables.kazakhstan_outline),
        "projects map": catalogue_charts.project_map(projects, tables.kazakhstan_outline, "main_offtake").to_dict(),
        "china share": catalogue_charts.china_share_chart(supply.china_share(world, tables.minerals)).to_dict(),
        "hhi": catalogue_charts.hhi_chart(supply.concentration(world, tables.minerals)).to_dict(),
        "kazakhstan": catalogue_charts.kazakhstan_share_chart(supply.kazakhstan_place(world, tables.minerals)).to_dict(),
        "export controls": catalogue_charts.export_control_chart(
            supply.export_controls_by_mineral(tables.export_controls, tables.minerals)).to_dict(),
        "risk": insight.risk_chart(risk.histogram(draws), risk.summary(draws)).to_dict(),
        "compare headline": compare_charts.headline_chart(cmp.summary).to_dict(),
        "compare minerals": compare_charts.dependence_by_mineral_chart(cmp.by_mineral).to_dict(),
    }


def _texts(svg: str) -> list[str]:
    import html

    return [html.unescape(re.sub(r"<[^>]+>", "", t)).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def _data_values(spec: dict) -> set[str]:
    values: set[str] = set()
    for rows in spec.get("datasets", {}).values():
        for row in rows if isinstance(rows, list) else []:
            values |= {v for v in row.values() if isinstance(v, str)}
    return values


@pytest.fixture(scope="module", autouse=True)
def _fonts():
    from analytics.present.brief.charts import _register_fonts

    _register_fonts()  # the brief's DejaVu Sans (fonts-dejavu-core, installed by run-tests.sh)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_chart_text_is_cut_short(lang):
    with language(lang):
        specs = _specs()
    cut = {}
    for name, spec in specs.items():
        spec = {**spec, "datasets": {k: json.loads(v.to_json(orient="records", date_format="iso"))
                                     if isinstance(v, pd.DataFrame) else v for k, v in spec.get("datasets", {}).items()}}
        # DejaVu Sans is wider than the browser's Source Sans: a label that fits here fits on the page
        svg = vlc.vegalite_to_svg(spec, config={"font": "DejaVu Sans"})
        ours = _data_values(spec)  # abbreviations made in the data: the tooltip holds the full name
        texts = _texts(svg)
        assert texts, name
        bad = [t for t in texts if t.endswith(ELLIPSIS) and t not in ours]
        if bad:
            cut[name] = bad[:5]
    assert not cut, cut
