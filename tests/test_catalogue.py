"""The catalogue, supply-chain and methodology functions, and their three pages through the app."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.analyses import projects as catalogue_projects
from analytics.analyses import supply
from analytics.analyses.supply import hhi, hhi_upper
from analytics.data import package, sources, store
from analytics.data.sources import split_ids
from analytics.model.scenario import FIELDS
from analytics.present import charts, methodology
from analytics.present.charts import catalogue as catalogue_charts

ROOT = Path(__file__).resolve().parent.parent
MY_PAGES = {"pages/projects.py": ("Projects", "projects"),
            "pages/supply_chains.py": ("Global supply chains", "supply-chains"),
            "pages/methodology.py": ("Methodology & data", "methodology")}


def _world(rows):
    return pd.DataFrame(rows, columns=["mineral_id", "stage", "country", "year", "value", "unit", "is_estimate",
                                       "source_id", "note"])


# Hand-sized agency tables: values in t, with the agencies' "Other" and "World total" rows.
WORLD_ROWS = _world([
    ("tungsten", "mine", "China", 2024, 50.0, "t W", False, "s1", None),
    ("tungsten", "mine", "Kazakhstan", 2024, 30.0, "t W", False, "s1", None),
    ("tungsten", "mine", "Other countries", 2024, 20.0, "t W", False, "s1", None),
    ("tungsten", "mine", "World total (rounded)", 2024, 100.0, "t W", False, "s1", None),
    ("tungsten", "mine", "China", 2019, 90.0, "t W", False, "old", None),          # older year: ignored
    ("tungsten", "mine", "Other countries", 2019, 10.0, "t W", False, "old", None),
    ("zinc", "mine", "Chile", 2024, 40.0, "t Zn", False, "s3", None),
    ("zinc", "mine", "Peru", 2024, 40.0, "t Zn", False, "s3", None),
    ("zinc", "mine", "Kazakhstan", 2024, 10.0, "t Zn", True, "s4", None),
    ("zinc", "mine", "Other countries", 2024, 5.0, "t Zn", False, "s3", None),
    ("zinc", "mine", "World total (rounded)", 2024, 100.0, "t Zn", False, "s3", None),  # rows 95: 5 unallocated
    ("zinc", "reserves", "Chile", 2025, 100.0, "t Zn", False, "s3", None),
    ("zinc", "reserves", "Kazakhstan", 2025, 0.0, "t Zn", False, "s3", None),
])
AGENCY_SHARES = pd.DataFrame([("tungsten", "refinery", "China", 2024, 60.0, "s2", None),
                              ("tungsten", "refinery", "United States", 2024, 40.0, "s2", None)],
                             columns=["mineral_id", "stage", "country", "year", "share_pct", "source_id", "note"])
WORLD = supply.derive_world(WORLD_ROWS, AGENCY_SHARES)
MINERALS = pd.DataFrame({"mineral_id": ["x", "y", "tungsten", "zinc"], "name": ["Xenium", "Ytterium", "Tungsten", "Zinc"],
                         "unit": ["t X", "t Y", "t W", "t Zn"]})


# ----------------------------------------------------------------------------- concentration

def test_hhi_known_answers():
    assert hhi([50, 30, 20]) == 3800.0
    assert hhi([100]) == 10000.0
    assert hhi([]) == 0.0
    # Other = 40 split into pieces no larger than the smallest listed share (10): four of 10
    assert hhi_upper([50, 10], 40) == 2500 + 100 + 4 * 100
    # pieces of 30 at most: one piece of 20
    assert hhi_upper([50, 30], 20) == 3800.0
    assert hhi_upper([], 100) == 10000.0
    # a country listed with 0 produces nothing and does not cap the pieces
    assert hhi_upper([50, 30, 0], 20) == 3800.0


def test_concentration_leaves_out_other_and_says_it_is_a_lower_bound():
    c = supply.concentration(WORLD, MINERALS).set_index(["mineral_id", "stage"])
    x = c.loc[("tungsten", "mine")]
    assert x.hhi == pytest.approx(50 ** 2 + 30 ** 2)  # latest year only, Other excluded
    assert x.is_lower_bound and x.other_pct == pytest.approx(20.0)
    assert x.hhi_upper == pytest.approx(3400 + 20 ** 2)
    assert x.top_country == "China" and x.band == "highly concentrated" and x.year == 2024
    p = c.loc[("tungsten", "refinery")]
    assert p.hhi == pytest.approx(5200) and p.hhi_upper == pytest.approx(5200) and not p.is_lower_bound
    y = c.loc[("zinc", "mine")]
    assert y.hhi == pytest.approx(40 ** 2 + 40 ** 2 + 10 ** 2) and y.band == "highly concentrated"
    assert y.other_pct == pytest.approx(10.0)  # the printed Other (5) and the 5 no row accounts for
    assert y.hhi_upper == pytest.approx(3300 + 10 ** 2)  # one piece of 10 (the smallest named producer)
    assert y.source_id == "s3;s4" and y.is_estimate


def test_world_total_is_the_printed_total_or_the_rows_where_they_add_up_to_more():
    rows = _world([("tungsten", "mine", "China", 2024, 60.0, "t W", False, "s1", None),
                   ("tungsten", "mine", "Peru", 2024, 50.0, "t W", False, "s1", None),
                   ("tungsten", "mine", "World total (rounded)", 2024, 100.0, "t W", False, "s1", None),
                   ("zinc", "mine", "China", 2024, 30.0, "t Zn", False, "s1", None),
                   ("zinc", "mine", "Peru", 2024, 10.0, "t Zn", False, "s1", None)])  # no printed total
    shares = supply.derive_world(rows).world_shares.set_index(["mineral_id", "country"]).share_pct
    assert shares[("tungsten", "China")] == pytest.approx(100 * 60 / 110)
    assert shares[("tungsten", "Other")] == pytest.approx(0.0)
    assert shares[("zinc", "China")] == pytest.approx(75.0) and shares[("zinc", "Other")] == pytest.approx(0.0)


def test_hhi_bands():
    assert supply.hhi_band(999) == "unconcentrated"
    assert supply.hhi_band(1000) == "moderately concentrated"
    assert supply.hhi_band(1801) == "highly concentrated"


def test_china_share_reports_unlisted_china_as_zero_and_says_so():
    c = supply.china_share(WORLD, MINERALS).set_index(["mineral_id", "stage"])
    assert c.loc[("tungsten", "mine"), "china_share_pct"] == pytest.approx(50.0)   # 2024, not the 2019 rows
    assert c.loc[("tungsten", "mine"), "source_id"] == "s1"
    assert c.loc[("tungsten", "refinery"), "china_share_pct"] == pytest.approx(60.0)
    assert c.loc[("tungsten", "refinery"), "stage_label"] == "Refining"
    y = c.loc[("zinc", "mine")]
    assert y.china_share_pct == 0.0 and not y.china_listed and y.other_pct == pytest.approx(10.0)
    assert c.loc[("tungsten", "mine"), "mineral"] == "Tungsten"


def test_only_the_models_minerals_are_shown():
    only_zinc = MINERALS[MINERALS.mineral_id == "zinc"]
    assert set(supply.china_share(WORLD, only_zinc).mineral_id) == {"zinc"}


def test_kazakhstan_place_ranks_listed_countries_only():
    k = supply.kazakhstan_place(WORLD, MINERALS).set_index(["mineral_id", "stage"])
    assert k.loc[("tungsten", "mine"), "rank"] == 2
    assert k.loc[("tungsten", "mine"), "kazakhstan_share_pct"] == pytest.approx(30.0)
    assert k.loc[("zinc", "mine"), "rank"] == 3  # Chile and Peru tie for 1st; Other is not ranked
    assert k.loc[("zinc", "mine"), "countries_n"] == 3
    assert pd.isna(k.loc[("tungsten", "refinery"), "rank"])
    assert pd.isna(k.loc[("tungsten", "refinery"), "kazakhstan_share_pct"])
    assert k.loc[("tungsten", "refinery"), "leader"] == "China"
    assert k.loc[("zinc", "reserves"), "kazakhstan_share_pct"] == 0.0 and pd.isna(k.loc[("zinc", "reserves"), "rank"])


# ----------------------------------------------------------------------------- projects

def _project(pid, mineral, stage, region, china=100.0, allied=0.0, output=10.0, capacity=20.0, source="s1"):
    return dict(project_id=pid, name=f"P {pid}", mineral_id=mineral, product="ore", region=region, lat=45.0,
                lon=70.0, stage=stage, operator="op", output_tpy=output, capacity_tpy=capacity,
                capex_musd=5.0, lead_time_years=2.5, offtake_china_pct=china, offtake_russia_pct=0.0,
                offtake_domestic_pct=0.0, offtake_allied_pct=allied, output_is_estimate=True,
                estimate_basis="a guess", source_id=source, note=None)


OWNERS = pd.DataFrame([("a", "Sino Co", "CN", 100.0, True), ("b", "West Co", "US", 100.0, False),
                       ("c", "State Co", "KZ", 100.0, True), ("d", "West Co", "US", 60.0, False),
                       ("d", "Kaz Co", "KZ", 40.0, False)],
                      columns=["project_id", "owner", "owner_country", "stake_pct", "state_owned"])
RAW = pd.DataFrame([
    _project("a", "x", "operating", "East"),
    _project("b", "x", "feasibility", "West", china=30, allied=70, output=0.0),
    _project("c", "y", "operating", "East", china=50, allied=50),
    _project("d", "y", "exploration", None, source="s1; s9"),
])
PROJECTS = catalogue_projects.with_derived(RAW, None, OWNERS)
SOURCES = pd.DataFrame({"source_id": ["s1", "s2"], "publisher": ["USGS", "IEA"], "title": ["MCS [2025]", "GCMO"],
                        "year": [2025, 2024], "url": ["https://usgs.gov/x", "https://iea.org"],
                        "accessed": ["2026-01-01"] * 2, "note": ["", ""]})


def test_filters_combine_and_an_empty_filter_keeps_all():
    ids = lambda df: sorted(df.project_id)  # noqa: E731
    assert ids(catalogue_projects.filter_projects(PROJECTS)) == ["a", "b", "c", "d"]
    assert ids(catalogue_projects.filter_projects(PROJECTS, minerals=["x"])) == ["a", "b"]
    assert ids(catalogue_projects.filter_projects(PROJECTS, stages=["operating"], regions=["East"])) == ["a", "c"]
    assert ids(catalogue_projects.filter_projects(PROJECTS, minerals=["y"], owners=["Western", "Chinese"])) == ["d"]
    assert catalogue_projects.filter_projects(PROJECTS, minerals=["x"], owners=["Kazakh state"]).empty


def test_owner_origin_is_the_group_holding_half_or_more():
    p = PROJECTS.set_index("project_id")
    assert p.owner_origin.to_dict() == {"a": "Chinese", "b": "Western", "c": "Kazakh state", "d": "Western"}
    assert p.loc["a", "cn_stake_pct"] == 100 and p.loc["d", "cn_stake_pct"] == 0
    assert p.loc["d", "owners"] == "West Co (US) 60 %; Kaz Co (KZ) 40 %"
    assert catalogue_projects.with_derived(RAW).owner_origin.eq("Not published").all()


def test_filter_options_come_from_the_data_in_life_cycle_order():
    o = catalogue_projects.filter_options(PROJECTS)
    assert o["stage"] == ["operating", "feasibility", "exploration"]
    assert o["region"] == ["East", "West"]  # a project without a region adds no option
    assert o["owner_origin"] == ["Chinese", "Kazakh state", "Western"]


def test_filter_matches_the_named_query_on_the_shipped_data(shipped_con):
    projects = store.table("projects", shipped_con)
    for col, kw in (("mineral_id", "minerals"), ("stage", "stages")):
        for value in sorted(set(projects[col])):
            params = {"mineral_id": None, "stage": None, col: value}
            sql = store.query("projects_filtered", shipped_con, **params)
            ours = catalogue_projects.filter_projects(projects, **{kw: [value]})
            assert sorted(ours.project_id) == sorted(sql.project_id)


def test_main_offtake_is_the_largest_destination():
    p = catalogue_projects.with_derived(RAW, MINERALS).set_index("project_id")
    assert p.loc["a", "main_offtake"] == "China" and p.loc["b", "main_offtake"] == "Allied"
    assert p.loc["c", "main_offtake"] == "China"  # a tie goes to China
    assert p.loc["b", "new_capacity_tpy"] == 20.0 and p.loc["a", "online_year"] == 2029  # 2026 + ceil(2.5)


def test_project_detail_gives_units_estimate_basis_and_sources():
    d = catalogue_projects.project_detail("d", RAW, MINERALS, SOURCES, OWNERS)
    figures = d.figures.set_index("figure")
    assert figures.loc["Output", "unit"] == "t Y per year" and bool(figures.loc["Output", "estimate"])
    assert figures.loc["Owners", "value"] == "West Co (US) 60 %; Kaz Co (KZ) 40 %"
    assert list(d.owners.owner) == ["West Co", "Kaz Co"]
    assert figures.loc["Capital still needed", "unit"] == "M USD"
    assert d.is_estimate and d.estimate_basis == "a guess"
    assert d.sources.source_id.tolist() == ["s1", "s9"]
    assert d.sources.found.tolist() == [True, False]  # an unknown id is shown, not dropped
    assert d.offtake.share_pct.sum() == 100
    with pytest.raises(KeyError):
        catalogue_projects.project_detail("nope", RAW, MINERALS, SOURCES)


def test_split_ids_and_source_links():
    assert split_ids(" a; b ;;a") == ["a", "b"]
    assert split_ids(None) == [] and split_ids(float("nan")) == []
    row = sources.resolve_sources("s1", SOURCES).iloc[0]
    assert sources.source_markdown(row) == r"USGS (2025). [MCS \[2025\]](https://usgs.gov/x)"
    assert sources.markdown_escape("US$ 5 *bold*") == r"US\$ 5 \*bold\*"


def test_project_map_colours_by_destination_with_the_app_colours():
    p = catalogue_projects.with_derived(PROJECTS, MINERALS)
    spec = catalogue_charts.project_map(p, pd.DataFrame(), colour_by="main_offtake").to_dict()
    colour = spec["layer"][-1]["encoding"]["color"]
    assert colour["field"] == "main_offtake"
    assert colour["scale"]["domain"] == list(charts.DESTINATION_COLOURS)
    with pytest.raises(ValueError):
        catalogue_charts.project_map(p, pd.DataFrame(), colour_by="operator; drop")


def test_supply_chain_charts_draw_the_shipped_data(shipped_con):
    t = sources.load_tables(shipped_con)
    world = supply.load_world(shipped_con)
    conc = supply.concentration(world, t.minerals)
    spec = catalogue_charts.hhi_chart(conc).to_dict()
    rules = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert [row["hhi"] for row in spec["datasets"][rules["data"]["name"]]] == [1000.0, 1800.0]
    shares = supply.china_share(world, t.minerals)
    china = catalogue_charts.china_share_chart(shares).to_dict()
    bars, marks = china["layer"]
    assert "Mining" in bars["encoding"]["color"]["scale"]["domain"]
    assert set(bars["encoding"]["color"]["scale"]["domain"]) <= {supply.STAGE_LABELS[s] for s in supply.PRODUCTION_STAGES}
    # a stage where China has no row of its own is marked in words, not left as an empty bar
    rows = pd.DataFrame(china["datasets"][china["data"]["name"]])
    assert marks["mark"]["type"] == "text" and marks["encoding"]["text"]["field"] == "mark"
    assert (rows.mark == "not listed").sum() == (~shares.china_listed.astype(bool)).sum() > 0
    catalogue_charts.kazakhstan_share_chart(supply.kazakhstan_place(world, t.minerals)).to_dict()


# ----------------------------------------------------------------------------- timeline, claims, sources

def test_export_control_timeline_is_in_date_order_with_mineral_names():
    events = pd.DataFrame({"event_id": ["late", "early"], "date": ["2025-02-04", "2023-08-01"],
                           "country": ["China", "China"], "mineral_ids": ["x;gallium", "y"],
                           "measure": ["licence", "ban"], "covers": ["", None], "source_id": ["s1", "s2"]})
    tl = supply.export_control_timeline(events, MINERALS)
    assert tl.event_id.tolist() == ["early", "late"]
    assert tl.minerals.tolist() == ["Ytterium", "Xenium, Gallium"]  # ids outside minerals.csv stay readable
    long = supply.export_controls_by_mineral(events, MINERALS)
    assert list(zip(long.event_id, long.mineral)) == [("early", "Ytterium"), ("late", "Xenium"), ("late", "Gallium")]
    spec = catalogue_charts.export_control_chart(long).to_dict()
    assert spec["encoding"]["x"]["type"] == "temporal" and spec["encoding"]["y"]["field"] == "mineral"
    # the axis runs past the first and last events, so no point sits on (or past) its edge
    first, last = spec["encoding"]["x"]["scale"]["domain"]
    assert first < "2023-08-01" and last > "2025-02-04"


def test_export_control_suspensions_look_different_from_new_controls():
    events = pd.DataFrame({"event_id": ["new", "off"], "date": ["2025-04-04", "2025-11-07"], "country": ["China"] * 2,
                           "mineral_ids": ["x", "x"], "measure": ["Export controls on x", "Suspension of the measures"],
                           "covers": ["", ""], "source_id": ["s1", "s2"]})
    spec = catalogue_charts.export_control_chart(supply.export_controls_by_mineral(events, MINERALS)).to_dict()
    rows = pd.DataFrame(spec["datasets"][spec["data"]["name"]]).set_index("event_id")
    assert rows.loc["new", "kind_label"] != rows.loc["off", "kind_label"]
    assert spec["encoding"]["shape"]["field"] == spec["encoding"]["color"]["field"] == "kind_label"


def test_claims_put_the_primary_figure_beside_the_claim():
    claims = pd.DataFrame({"claim_id": ["a", "b", "c"], "claim": ["c1", "c2", "c3"],
                           "claimed_value": ["2.6", "80%", "largest"], "primary_value": ["0", "82", "largest (39%)"],
                           "unit": ["Mt", "%", ""], "claim_source_id": ["s1"] * 3, "primary_source_id": ["s2;s1"] * 3,
                           "note": [""] * 3})
    c = supply.claims_table(claims, SOURCES)
    assert c.verdict.tolist() == ["differs", "agrees", "see note"]
    assert c.primary_source.iloc[0] == "IEA (2024); USGS (2025)"


def test_sources_table_counts_citations_across_tables(shipped_con):
    tables = sources.load_tables(shipped_con)
    st = sources.sources_table(tables).set_index("source_id")
    cit = sources.citations(tables)
    assert set(st.index) == set(tables.sources.source_id)
    for sid, n in cit.groupby("source_id").size().items():
        if sid in st.index:
            assert st.loc[sid, "citations_n"] == n


# ----------------------------------------------------------------------------- headline figures

def test_headline_figures_are_reproduced_from_the_raw_tables(shipped_con):
    figures = supply.headline_figures(sources.load_tables(shipped_con), supply.load_world(shipped_con)).set_index("key")
    one = lambda sql: shipped_con.execute(sql).fetchone()[0]  # noqa: E731
    assert figures.loc["projects_n", "value"] == one("SELECT count(*) FROM projects")
    assert figures.loc["producing_projects_n", "value"] == one("SELECT count(*) FROM projects WHERE output_tpy > 0")
    assert figures.loc["minerals_n", "value"] == one("SELECT count(*) FROM minerals")
    assert figures.loc["us_critical_2025_n", "value"] == one("SELECT count(*) FROM minerals WHERE us_critical_2025")
    assert figures.loc["capex_needed_musd", "value"] == pytest.approx(one("SELECT sum(capex_musd) FROM projects"))
    assert figures.loc["export_controls_n", "value"] == one("SELECT count(*) FROM export_controls")
    # Kazakhstan's uranium share and rank, from the raw rows of the latest year
    rows = shipped_con.execute("""
        SELECT country, value, year FROM world_production
        WHERE mineral_id = 'uranium' AND stage = 'mine' AND unit = 't U'
          AND year = (SELECT max(year) FROM world_production WHERE mineral_id = 'uranium' AND stage = 'mine')
        """).df()
    if rows.empty:
        assert "kz_uranium_mining_share_pct" not in figures.index
    else:
        printed = rows[rows.country.str.lower().str.startswith("world")].value.sum()
        total = max(printed, rows[~rows.country.str.lower().str.startswith("world")].value.sum())
        named = rows[~rows.country.str.lower().str.startswith(("world", "other"))]
        kz = named[named.country == "Kazakhstan"].value.iloc[0]
        assert figures.loc["kz_uranium_mining_share_pct", "value"] == pytest.approx(100 * kz / total)
        assert figures.loc["kz_uranium_mining_share_pct", "year"] == rows.year.iloc[0]
        assert figures.loc["kz_uranium_mining_rank", "value"] == 1 + (named.value > kz).sum()
    for key in figures.index:
        ids = split_ids(figures.loc[key, "source_id"])
        assert set(ids) <= set(store.table("sources", shipped_con).source_id), key


def test_headline_figures_leave_out_what_the_data_cannot_give():
    tables = sources.Tables(**{n: pd.DataFrame() for n in sources.TABLE_NAMES}).as_dict()
    tables.update(projects=PROJECTS, minerals=MINERALS.assign(us_critical_2025=[True, None, None, False], source_id="s1"),
                  export_controls=pd.DataFrame({"source_id": ["s1"]}))
    figures = supply.headline_figures(sources.Tables(**tables), WORLD).set_index("key")
    assert "kz_uranium_mining_share_pct" not in figures.index
    assert figures.loc["china_tungsten_mine_share_pct", "value"] == pytest.approx(50.0)
    assert "china_gallium_refinery_share_pct" not in figures.index
    assert figures.loc["projects_n", "value"] == 4 and figures.loc["us_critical_2025_n", "value"] == 1
    assert figures.loc["capex_needed_musd", "value"] == 20.0


# ----------------------------------------------------------------------------- methodology content

@pytest.mark.parametrize("table", store.TABLES)
def test_data_dictionary_covers_every_column_of_every_table(shipped_con, table):
    dd = methodology.data_dictionary()
    documented = set(zip(dd.table, dd.column))
    built = [c for (c,) in shipped_con.execute("SELECT column_name FROM information_schema.columns "
                                               "WHERE table_name = $t", {"t": table}).fetchall()]
    assert built and {(table, c) for c in built} <= documented, sorted({(table, c) for c in built} - documented)


def test_data_dictionary_reads_the_package():
    dd = methodology.data_dictionary()
    assert not dd.duplicated(["table", "column"]).any()
    rows = dd.set_index(["table", "column"])
    for table in package.resource_names():
        for rule in package.field_rules(table).values():
            row = rows.loc[(table, rule.name)]
            assert row.meaning == rule.description and row.vintage == package.vintage(table)
            if rule.unit:
                assert row.unit == rule.unit
    assert rows.loc[("projects", "capex_musd"), "unit"] == "M USD"
    assert rows.loc[("projects", "offtake_china_pct"), "unit"] == "%"
    assert "one of: mine" in rows.loc[("world_production", "stage"), "constraints"]


def test_scenario_inputs_table_lists_every_input_with_its_url_key():
    inputs = methodology.scenario_inputs_table()
    assert inputs.url_key.tolist() == [f.key for f in FIELDS]
    row = inputs.set_index("field").loc["budget_exim_musd"]
    assert row.unit == "M USD" and row.range == "0 to 5000, step 50"


def test_assumptions_name_the_rules_a_reader_must_know():
    text = methodology.text("assumptions").lower()
    for phrase in ("the status quo is today", "moving a tonne costs what it costs", "owners and contracts hold",
                   "money as it is committed", "china is the one unbounded processing sink", "\"other countries\" row",
                   "transit weight", "disruption probabilities are illustrative"):
        assert phrase in text, phrase


def test_the_formulation_states_every_constraint_group_of_the_model():
    """Every group of rows the model builds is described on the Methodology page."""
    import importlib

    from analytics import model

    words = methodology.text("formulation").lower()
    run = importlib.import_module("analytics.model.run")
    _, form, _ = run.formulation(model.load_model_data())
    described = {"balance": "output goes somewhere", "keep": "owners and contracts hold",
                 "leave": "status quo is today", "added": "freight", "offtake": "premium",
                 "capex": "remaining capital", "budget": "letters of interest", "exposure": "cap",
                 "cost_share": "share of the cost", "processing": "processing and corridor capacity",
                 "corridor": "corridor carries"}
    assert set(form.row_groups) <= set(described), set(form.row_groups) - set(described)
    for group in set(form.row_groups):
        assert described[group] in words, group


# ----------------------------------------------------------------------------- pages through the app

@pytest.fixture(scope="module")
def entry():
    return str(ROOT / "app.py"), {p: p for p in MY_PAGES}


def _page(entry, page: str) -> AppTest:
    app, paths = entry
    at = AppTest.from_file(app, default_timeout=60)
    at.run()
    at.switch_page(paths[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == MY_PAGES[page][0]
    return at


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_projects_page_filter_changes_the_table(entry, shipped_con):
    at = _page(entry, "pages/projects.py")
    projects = store.table("projects", shipped_con)
    assert len(_frame(at, "project_id")) == len(projects)
    mineral = sorted(projects.mineral_id)[0]
    at.multiselect(key="proj_mineral").select(mineral).run()
    assert not at.exception
    shown = _frame(at, "project_id")
    assert set(shown.project_id) == set(projects[projects.mineral_id == mineral].project_id)
    assert f"**{len(shown)} of {len(projects)} projects**" in " ".join(m.value for m in at.markdown)


def test_projects_page_detail_shows_figures_and_sources(entry, shipped_con):
    at = _page(entry, "pages/projects.py")
    projects = store.table("projects", shipped_con)
    pid = projects.project_id.iloc[-1]
    at.selectbox(key="proj_detail").set_value(pid).run()
    assert not at.exception
    figures = _frame(at, "figure")
    assert "M USD" in set(figures.unit)
    sources = store.table("sources", shipped_con).set_index("source_id")
    text = " ".join(m.value for m in at.markdown)
    for sid in split_ids(projects.set_index("project_id").loc[pid, "source_id"]):
        assert sources.loc[sid, "url"] in text


def test_projects_page_filters_to_nothing_without_an_error(entry, shipped_con):
    at = _page(entry, "pages/projects.py")
    projects = catalogue_projects.with_derived(store.table("projects", shipped_con), None,
                                               store.table("project_owners", shipped_con))
    mineral = projects.mineral_id.iloc[0]
    others = sorted(set(projects.owner_origin) - set(projects[projects.mineral_id == mineral].owner_origin))
    if not others:
        pytest.skip("every owner origin has a project of this mineral")
    at.multiselect(key="proj_mineral").select(mineral).run()
    at.multiselect(key="proj_owner").select(others[0]).run()
    assert not at.exception
    assert "No project matches" in " ".join(i.value for i in at.info)


def test_supply_chains_page_shows_each_section(entry, shipped_con):
    at = _page(entry, "pages/supply_chains.py")
    subheaders = [s.value for s in at.subheader]
    assert subheaders == ["China's share of mining and processing", "Concentration (HHI)", "Kazakhstan's place",
                          "Export controls"]
    events = store.table("export_controls", shipped_con)
    if len(events):
        assert set(_frame(at, "measure").event_id) == set(events.event_id)
    if len(store.table("world_production", shipped_con)):
        assert "hhi_upper" in _frame(at, "hhi_upper").columns
    captions = " ".join(c.value for c in at.caption)
    assert package.vintage_caption("world_production") in captions
    assert f"figures for {package.vintage('world_production')}" in captions


def test_methodology_page_lists_every_source_and_the_versions(entry, shipped_con):
    at = _page(entry, "pages/methodology.py")
    listed = set(_frame(at, "cited_in").source_id)
    assert listed == set(store.table("sources", shipped_con).source_id)
    assert "Dinkelbach" in " ".join(m.value for m in at.markdown)
    assert store.data_version() in " ".join(c.value for c in at.caption)
    assert set(_frame(at, "url_key").url_key) == {f.key for f in FIELDS}
    keys = {b.key for b in at.get("download_button")}
    assert {f"dl_data-{n.replace('_', '-')}" for n in sources.TABLE_NAMES} <= keys
