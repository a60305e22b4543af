"""The shipped data is a valid Frictionless Data Package and keeps its conventions: columns and
constraints as datapackage.json declares them, units, sums, coordinates, sources for every figure, a
basis for every estimate, and world shares derived from the agencies' raw tables only."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from analytics.analyses import supply
from analytics.data import package, sources, store
from analytics.data.sources import split_ids
from analytics.model.scenario import DEFAULTS, FINANCIER_FIELDS

DATA = Path(store.DATA_DIR)
ROOT = DATA.parent
DESTINATIONS = {"china", "russia", "domestic", "allied"}
KZ_LAT, KZ_LON = (40.5, 55.5), (46.4, 87.4)


def _each_resource(names=None):
    """pytest params, one per resource."""
    return list(names or package.resource_names())


@pytest.fixture(scope="module")
def t(shipped_con) -> dict[str, pd.DataFrame]:
    return {name: store.table(name, shipped_con) for name in store.TABLES}


@pytest.fixture(scope="module")
def raw() -> dict[str, pd.DataFrame]:
    """world_production.csv and processing_shares.csv read straight from the files (not through the database)."""
    return {name: pd.read_csv(DATA / f"{name}.csv", keep_default_na=False, na_values=[""])
            for name in ("world_production", "processing_shares")}


# ----------------------------------------------------------------------------- the package

def test_frictionless_validate_passes_for_every_resource():
    pkg = frictionless.Package(str(DATA / "datapackage.json"))
    for name in package.resource_names():
        report = pkg.get_resource(name).validate()
        assert report.valid, (name, [e.message for e in report.flatten(["message"])][:5])


def test_frictionless_validate_passes_for_the_whole_package():
    """The command a reader would run: `frictionless validate data/datapackage.json`."""
    cli = Path(sys.executable).with_name("frictionless")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "frictionless"]
    run = subprocess.run([*command, "validate", "--json", str(DATA / "datapackage.json")],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    assert report["valid"], [t["name"] for t in report["tasks"] if not t["valid"]]


def test_the_package_describes_every_table_the_app_reads():
    names = package.resource_names()
    assert set(names) == set(store.TABLES) == set(sources.TABLE_NAMES)
    for name in names:
        r = package.resource(name)
        for key in ("title", "description", "vintage", "licenses"):
            assert r.get(key), f"{name}: no {key}"
        for f in package.resource_schema(name)["fields"]:
            assert f.get("description"), f"{name}.{f['name']}: no description"
            if f["type"] in ("number", "integer") and not f["name"].endswith(("ring", "order")):
                assert f.get("unit"), f"{name}.{f['name']}: a number without a unit"
        assert package.primary_key(name), f"{name}: no primary key"


@pytest.mark.parametrize("name", _each_resource())
def test_every_csv_has_exactly_the_declared_columns_in_order(name):
    fields = list(package.field_rules(name))
    for path in package.resource_paths(name):
        assert path.exists(), f"{path.name} is declared but missing"
        with path.open(newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == fields, f"{path.name}: {header} != {fields}"


def _fk_values(t, name, fields):
    df = t[name][fields].dropna()
    return set(map(tuple, df.astype(str).values))


@pytest.mark.parametrize("name", ([n for n in package.resource_names()
                                                   if package.resource_schema(n).get("foreignKeys")]))
def test_foreign_keys_resolve(t, name):
    for fk in package.resource_schema(name)["foreignKeys"]:
        ref = fk["reference"]
        missing = _fk_values(t, name, fk["fields"]) - _fk_values(t, ref["resource"], ref["fields"])
        assert not missing, f"{name}.{fk['fields']} -> {ref['resource']}: {sorted(missing)[:10]}"


def test_commitments_name_projects_that_exist(t):
    """commitments.project_id is a ';'-separated list, which a foreign key cannot express."""
    known = set(t["projects"].project_id)
    named = {p for cell in t["commitments"].project_id for p in split_ids(cell)}
    assert named <= known, sorted(named - known)


@pytest.mark.parametrize("name", package.resource_names())
def test_vintage_covers_the_years_in_the_table(t, name):
    first, last = package.vintage_years(name)
    assert 1990 <= first <= last <= date.today().year, (name, first, last)
    df = t[name]
    # start_year / end_year are a contract's terms and per-year columns are rates, not when a figure was read
    cols = [c for c in df.columns if (c == "year" or c.endswith("_year") or c == "date")
            and c not in ("start_year", "end_year") and not c.endswith("per_year")]
    for col in cols:
        years = pd.to_numeric(df[col].astype(str).str[:4], errors="coerce") if col == "date" \
            else pd.to_numeric(df[col], errors="coerce")
        years = years.dropna()
        if name == "sources":
            continue  # a source's year is when it was published, not what its figures describe
        outside = sorted(set(years[(years < first) | (years > last)].astype(int)))
        assert not outside, f"{name}.{col}: years {outside} outside the vintage {package.vintage(name)}"


def _numeric_columns(t, suffix):
    for name, df in t.items():
        for col in df.columns:
            if col.endswith(suffix):
                yield name, col, pd.to_numeric(df[col], errors="raise").dropna()


def test_percentages_are_between_0_and_100(t):
    for name, col, values in _numeric_columns(t, "_pct"):
        assert values.between(0, 100).all(), f"{name}.{col} outside 0-100: {values[~values.between(0, 100)].tolist()}"


@pytest.mark.parametrize("suffix", ["_tpy", "_musd", "_kt_per_yr", "_mt_per_yr", "_usd_per_t", "_years", "_days"])
def test_quantities_are_not_negative(t, suffix):
    for name, col, values in _numeric_columns(t, suffix):
        assert (values >= 0).all(), f"{name}.{col} has negative values"


def test_mineral_units_are_tonnes_of_something(t):
    bad = t["minerals"][~t["minerals"].unit.fillna("").str.match(r"^t( |$)")]
    assert bad.empty, f"units not in tonnes: {dict(zip(bad.mineral_id, bad.unit))}"


def test_years_are_plausible(t):
    this_year = date.today().year
    for name, col in (("sources", "year"), ("world_production", "year"), ("processing_shares", "year"),
                      ("minerals", "price_year")):
        years = pd.to_numeric(t[name][col], errors="raise").dropna()
        odd = sorted(set(years[~years.between(1950, this_year)]))
        assert not odd, f"{name}.{col}: {odd}"


def test_route_shares_sum_to_100_per_destination(t):
    r, p = t["routes"], t["projects"]
    sent = {d for d in DESTINATIONS if (p[f"offtake_{d}_pct"] > 0).any()}
    assert sent <= set(r.destination), f"output goes to {sorted(sent - set(r.destination))} but no route leads there"
    sums = r.groupby("destination").status_quo_share_pct.sum()
    assert ((sums - 100).abs() <= 0.5).all(), sums.to_dict()
    assert set(r.corridor_id) <= set(t["corridors"].corridor_id)


def test_project_offtake_shares_sum_to_100(t):
    p = t["projects"]
    sums = p[[f"offtake_{d}_pct" for d in ("china", "russia", "domestic", "allied")]].sum(axis=1)
    bad = p.loc[(sums - 100).abs() > 0.5, "project_id"]
    assert bad.empty, f"offtake not summing to 100: {bad.tolist()}"


def test_a_capacity_set_at_the_output_is_flagged_as_an_estimate(t):
    """A capacity taken from the output (no nameplate published) is a derivation, not a published capacity:
    the row must say so, or the share of sourced rows would count it."""
    p = t["projects"]
    text = p.estimate_basis.fillna("") + " " + p.note.fillna("")
    derived = text.str.contains(r"[Cc]apacity (?:= ?output|= \d{4} output|set at the (?:\S+ )*output)", regex=True)
    unflagged = p.loc[derived & ~p.capacity_is_estimate.astype(bool), "project_id"]
    assert unflagged.empty, f"capacity derived from output but not flagged: {unflagged.tolist()}"


def test_projects_lie_in_kazakhstan(t):
    p = t["projects"].dropna(subset=["lat", "lon"])  # a location is given only where one is published
    assert len(p) >= 20
    outside = p[~(p.lat.between(*KZ_LAT) & p.lon.between(*KZ_LON))]
    assert outside.empty, f"outside Kazakhstan's bounding box: {outside[['project_id', 'lat', 'lon']].values.tolist()}"


def test_outline_is_kazakhstan_shaped(t):
    o = t["kazakhstan_outline"]
    if o.empty:
        pytest.skip("no outline in the data")
    inside = o.lat.between(40.0, 56.0) & o.lon.between(46.0, 88.0)
    assert inside.all(), "outline points outside Kazakhstan (lat/lon swapped?)"
    assert len(o) >= 20
    assert not o.duplicated(["ring", "order"]).any()


def test_every_source_id_resolves_to_a_source(t):
    known = set(t["sources"].source_id)
    missing = []
    for name, df in t.items():
        rules = package.field_rules(name)
        for col in (c for c in df.columns if c.endswith("source_id") and name != "sources"):
            for key, cell in zip(df.iloc[:, 0], df[col]):
                ids = split_ids(cell)
                if not ids and rules[col].required:  # an optional source column is empty with its figure
                    missing.append((name, key, col, "(empty)"))
                missing += [(name, key, col, sid) for sid in ids if sid not in known]
    assert not missing, f"unresolved source ids: {missing[:20]}"


def test_sources_say_who_what_when_where(t):
    s = t["sources"]
    for col in ("publisher", "title", "url"):
        blank = s[s[col].fillna("").str.strip() == ""]
        assert blank.empty, f"sources without {col}: {blank.source_id.tolist()}"
    undated = s[s.year.isna() & ~s.note.fillna("").str.contains("date is not printed")]
    assert undated.empty, f"sources without a year (and no note saying the page prints none): {undated.source_id.tolist()}"
    web = s.url.str.match(r"^https?://\S+$")
    own = s.url.str.match(r"^docs/[\w./-]+#[\w-]+$")
    assert (web | own).all(), s[~(web | own)].source_id.tolist()
    ids = [i for path in package.resource_paths("sources") for i in pd.read_csv(path).source_id]
    assert len(ids) == len(set(ids)), "a source id is used in two sources files"


def _anchors(markdown: str) -> set[str]:
    """GitHub-style heading anchors of a Markdown text, plus explicit <a id="..."> anchors."""
    out = set(re.findall(r'<a (?:id|name)="([\w-]+)"', markdown))
    for heading in re.findall(r"^#+\s+(.+?)\s*$", markdown, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        out.add(slug)
    return out


def test_own_estimate_sources_point_at_the_method_in_the_repository(t):
    """Heartland's own-estimate sources cite a section of a document in this repository that states the method."""
    own = t["sources"][t["sources"].publisher.str.strip().str.lower() == "heartland"]
    assert len(own), "no own-estimate sources: this test would check nothing"
    for row in own.itertuples():
        path, _, anchor = row.url.partition("#")
        assert not row.url.startswith("http"), f"{row.source_id}: {row.url} is not a document in the repository"
        doc = ROOT / path
        assert doc.is_file(), f"{row.source_id}: {path} does not exist"
        assert anchor and anchor in _anchors(doc.read_text(encoding="utf-8")), f"{row.source_id}: no #{anchor} in {path}"


def test_every_estimate_says_why(t):
    for name, df in t.items():
        if {"is_estimate", "estimate_basis"} <= set(df.columns):
            flagged = df[df.is_estimate.fillna(False).astype(bool)]
            blank = flagged[flagged.estimate_basis.fillna("").str.strip() == ""]
            assert blank.empty, f"{name}: estimates without a basis: {blank.iloc[:, 0].tolist()}"


def test_projects_have_capacity_and_a_source(t):
    p = t["projects"]
    # exploration projects publish no capacity yet, and a producer without a published output is counted at 0
    built = p[p.stage.isin(["operating", "expansion"]) & (p.output_tpy > 0)]
    assert (built.capacity_tpy > 0).all(), built[built.capacity_tpy <= 0].project_id.tolist()
    assert p.source_id.map(split_ids).map(len).gt(0).all()
    assert (p.capacity_tpy >= p.output_tpy).all()
    assert p.project_id.is_unique and p.name.is_unique


def test_every_mineral_referenced_exists(t):
    minerals = set(t["minerals"].mineral_id)
    assert set(t["projects"].mineral_id) <= minerals
    assert set(t["processing_capacity"].mineral_id) <= minerals
    assert set(t["processing_capacity"].destination) <= DESTINATIONS
    assert not t["processing_capacity"].duplicated(["destination", "mineral_id"]).any()


def test_export_controls_name_minerals_and_a_country(t):
    e = t["export_controls"]
    assert e.mineral_ids.map(split_ids).map(len).gt(0).all()
    assert (e.country.fillna("").str.strip() != "").all()
    assert (e.measure.fillna("").str.strip() != "").all()


def test_financiers_are_usable_by_the_model(t):
    f = t["financiers"]
    partners = f[f.is_partner.astype(bool)]
    assert set(partners.financier_id) <= set(FINANCIER_FIELDS), "a partner financier without a scenario budget"
    for col in ("max_cn_stake_pct", "max_ru_stake_pct", "max_capex_share_pct"):
        assert partners[col].dropna().between(0, 100).all(), col
    assert (partners.exposure_cap_musd.dropna() > 0).all()
    estimated = partners[partners.rules_are_estimate.fillna(False).astype(bool)]
    assert (estimated.rules_basis.fillna("").str.len() > 20).all(), "an estimated rule without its derivation"


def test_the_cove_kaz_letters_of_interest_name_both_deposits(t):
    c = t["commitments"].set_index("commitment_id")
    for cid in ("ml-c-exim-katpar-loi-2025", "ml-c-dfc-katpar-loi-2026"):
        assert set(split_ids(c.loc[cid, "project_id"])) == {"w-north-katpar", "w-upper-kairakty"}


def test_owner_countries_are_iso_codes_and_stakes_add_up(t):
    o = t["project_owners"]
    assert o.owner_country.dropna().str.fullmatch(r"[A-Z]{2}").all()
    direct = o.dropna(subset=["stake_pct"]).groupby("project_id").stake_pct.sum()
    assert (direct <= 100 + 17.36 + 0.5).all(), direct[direct > 100].to_dict()  # a look-through holder may add


def _limits(shipped_data, scenario):
    """The model's processing and corridor limits for a scenario, by row name, with its notes."""
    import importlib

    run = importlib.import_module("analytics.model.run")
    _, form, _ = run.formulation(shipped_data)
    num = run.numbers_for(form, shipped_data, scenario)
    return form, num


def test_stated_processing_capacity_holds_todays_flow(t, shipped_data):
    """A stated processing capacity is at least today's flow of Kazakh output there (the model would
    otherwise lift it and say so)."""
    _, num = _limits(shipped_data, DEFAULTS)
    assert not [n for n in num.notes if "processing of" in n and "below today's flow" in n], num.notes


def test_processing_limits_hold_the_baseline_and_scale_only_the_room(shipped_data):
    """Outside China each processing limit is at least the target year's baseline flow; the allied
    slider scales only the room above today's flow."""
    form, full = _limits(shipped_data, DEFAULTS.replace(allied_capacity_pct=100.0))
    _, none = _limits(shipped_data, DEFAULTS.replace(allied_capacity_pct=0.0))
    b = form.base
    base_pd = b.baseline_tpy(DEFAULTS.target_year)
    mineral = b.projects.mineral_id.to_numpy()
    for (dest, m), i in form.processing.items():
        d = ["china", "russia", "domestic", "allied"].index(dest)
        assert full.row_hi[i] >= base_pd[mineral == m, d].sum() - 1e-6, (dest, m)
        if dest == "allied":
            today = float((b.output_tpy * b.offtake_share[:, d])[mineral == m].sum())
            assert none.row_hi[i] == pytest.approx(max(today, base_pd[mineral == m, d].sum())), m
        else:
            assert none.row_hi[i] == pytest.approx(full.row_hi[i]), (dest, m)


def test_corridor_limits_hold_the_baseline_cargo(shipped_data):
    """Every corridor limit carries at least the baseline's cargo after the market reroutes what a
    cut corridor cannot carry."""
    for s in (DEFAULTS, DEFAULTS.replace(russia_transit_pct=0.0, middle_corridor_ktpy=0.0)):
        form, num = _limits(shipped_data, s)
        kappa = form.base.cargo_t_per_t[:, None]
        for cid, i in form.corridors.items():
            rs = form.corridor_routes[cid]
            cargo = float((num.baseline_q[:, rs] * kappa).sum() / 1000)
            assert num.row_hi[i] >= cargo - 1e-6, (cid, s.russia_transit_pct)


# ----------------------------------------------------------------------------- data speaks of the world

GATHERING = re.compile(r"\brecall(ed|s)?\b|could not be (opened|read|re-read)|this session|not read\b|\bunread\b|"
                       r"not readable|we searched|the helper|verify before citing|not found in", re.I)


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_no_data_text_says_how_it_was_gathered(path):
    """Data speaks of the world: no 'recalled', 'could not be opened', 'this session', 'unread'."""
    hits = []
    with path.open(newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.reader(fh), start=1):
            hits += [(n, m.group(0)) for cell in row for m in [GATHERING.search(cell)] if m]
    assert not hits, f"{path.name}: {hits[:10]}"


# ----------------------------------------------------------------------------- world supply from the raw rows

def _groups(world: pd.DataFrame):
    """(mineral, stage, unit, year) -> (world total by the documented rule, named country rows), from the CSV."""
    w = world.copy()
    kind = w.country.str.lower()
    w["kind"] = "country"
    w.loc[kind.str.startswith("other"), "kind"] = "other"
    w.loc[kind.str.startswith("world"), "kind"] = "world"
    for key, g in w.groupby(["mineral_id", "stage", "unit", "year"]):
        printed = g[g.kind == "world"].value.sum()
        rows = g[g.kind != "world"].value.sum()
        yield key, max(printed, rows), g[g.kind == "country"]


def test_every_country_share_is_its_row_over_the_world_total(raw, shipped_con):
    """Computed here from world_production.csv, independently of views.sql."""
    view = store.table("world_shares", shipped_con).set_index(["mineral_id", "stage", "unit", "year", "country"])
    checked = 0
    for (m, st, unit, year), total, named in _groups(raw["world_production"]):
        for r in named.itertuples():
            assert view.loc[(m, st, unit, year, r.country), "share_pct"] == pytest.approx(100 * r.value / total), \
                (m, st, year, r.country)
            checked += 1
    assert checked > 500


def test_china_share_of_tungsten_mining_is_chinas_row_over_the_world_total(raw, shipped_con):
    w = raw["world_production"]
    rows = w[(w.mineral_id == "tungsten") & (w.stage == "mine")]
    latest = rows.year.max()
    rows = rows[rows.year == latest]
    printed_total = rows[rows.country.str.startswith("World total")].value.iloc[0]
    rows_total = rows[~rows.country.str.startswith("World total")].value.sum()
    china = rows[rows.country == "China"].value.iloc[0]
    expected = 100 * china / max(printed_total, rows_total)
    world = supply.load_world(shipped_con)
    minerals = pd.DataFrame({"mineral_id": ["tungsten"], "name": ["Tungsten"]})
    got = supply.china_share(world, minerals).set_index("stage").loc["mine"]
    assert got.china_share_pct == pytest.approx(expected) and got.year == latest and got.china_listed


def test_shares_sum_to_100_per_mineral_stage_and_year(shipped_con):
    shares = store.table("world_shares", shipped_con)
    sums = shares.groupby(["mineral_id", "stage", "unit", "year"]).share_pct.sum()
    off = sums[(sums - 100).abs() > 0.5]
    assert off.empty, f"shares (with Other) not summing to 100: {off.round(2).to_dict()}"


def test_printed_rows_add_up_to_the_printed_world_total(raw):
    """The agency's rows are consistent with its rounded total (production columns; reserves list many NA rows)."""
    w = raw["world_production"]
    w = w[w.stage.isin(["mine", "refinery", "smelter"])]
    for (m, st, unit, year), g in w.groupby(["mineral_id", "stage", "unit", "year"]):
        total = g[g.country.str.lower().str.startswith("world")].value
        if total.empty:
            continue
        rows = g[~g.country.str.lower().str.startswith("world")].value.sum()
        assert rows == pytest.approx(total.iloc[0], rel=0.04), (m, st, unit, year, rows, total.iloc[0])


def test_concentration_is_computed_from_the_named_countries(raw, shipped_con):
    conc = store.table("concentration", shipped_con).set_index(["mineral_id", "stage", "unit", "year"])
    for key, total, named in _groups(raw["world_production"]):
        shares = (100 * named.value / total).tolist()
        other = max(100 - sum(shares), 0)
        c = conc.loc[key]
        assert c.hhi == pytest.approx(supply.hhi(shares)), key
        assert c.hhi_upper == pytest.approx(supply.hhi_upper(shares, other), abs=1e-6), key
        assert c.other_pct == pytest.approx(other, abs=1e-6) and bool(c.is_lower_bound) == (other > 1e-9), key
        assert c.countries_n == sum(s > 0 for s in shares), key


def test_kazakhstan_rank_counts_the_larger_producers(raw, shipped_con):
    place = store.table("kazakhstan_place", shipped_con).set_index(["mineral_id", "stage", "unit", "year"])
    checked = 0
    for key, _total, named in _groups(raw["world_production"]):
        kz = named[named.country == "Kazakhstan"]
        if kz.empty or kz.value.iloc[0] == 0:
            continue
        assert place.loc[key, "rank"] == 1 + (named.value > kz.value.iloc[0]).sum(), key
        checked += 1
    assert checked >= 10


def test_agency_shares_are_used_only_where_no_table_gives_the_stage(raw, shipped_con):
    """Nothing is typed twice: a processing share never restates a world_production column."""
    w, p = raw["world_production"], raw["processing_shares"]
    both = set(zip(w.mineral_id, w.stage, w.year)) & set(zip(p.mineral_id, p.stage, p.year))
    assert not both, sorted(both)
    sums = p.groupby(["mineral_id", "stage", "year"]).share_pct.sum()
    assert (sums <= 100.5).all(), sums[sums > 100.5].to_dict()
    shares = store.table("world_shares", shipped_con)
    from_pct = shares[shares.basis == "processing_shares"].set_index(["mineral_id", "stage", "year", "country"])
    for r in p[~p.country.str.lower().str.startswith("other")].itertuples():
        assert from_pct.loc[(r.mineral_id, r.stage, r.year, r.country), "share_pct"] == pytest.approx(r.share_pct)


def test_world_rows_cite_the_table_they_are_printed_in(raw, t):
    w = raw["world_production"]
    s = t["sources"].set_index("source_id")
    assert w.source_id.map(split_ids).map(len).eq(1).all()
    urls = s.loc[w.source_id.unique(), "url"]
    assert urls.str.contains(r"pubs\.usgs\.gov/periodicals/mcs2026/|world-nuclear\.org").all(), urls.to_dict()
    assert w.note.str.contains("table", case=False).all(), "a world row whose note does not say which table"
    assert (w.groupby(["mineral_id", "stage", "unit", "year"]).country
            .apply(lambda c: c.str.lower().str.startswith("world").sum() <= 1)).all()


def test_a_zero_standing_for_an_unpublished_figure_is_flagged_as_an_estimate(t):
    """An operating mine's output of 0, or a capacity of 0 for a project with a plan (past exploration), is not
    a published figure: the row flags it, so the Projects page marks it and the share of sourced rows does not
    count it."""
    p = t["projects"]
    silent_output = p[(p.stage == "operating") & (p.output_tpy == 0) & ~p.output_is_estimate.astype(bool)]
    silent_capacity = p[(p.stage != "exploration") & (p.capacity_tpy == 0) & ~p.capacity_is_estimate.astype(bool)]
    assert silent_output.empty, f"operating, output 0, not flagged: {silent_output.project_id.tolist()}"
    assert silent_capacity.empty, f"a plan with capacity 0, not flagged: {silent_capacity.project_id.tolist()}"
