"""The shipped data keeps the conventions of data/SCHEMA.md: columns, units, sums, coordinates,
sources for every figure, a basis for every estimate."""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics import model
from analytics.data import store
from analytics.data.sources import split_ids
from analytics.model.scenario import DEFAULTS, FINANCIER_FIELDS

DATA = Path(store.DATA_DIR)
DESTINATIONS = {"china", "russia", "domestic", "allied"}
OWNER_ORIGINS = {"kazakh_state", "kazakh_private", "chinese", "russian", "western", "japanese_korean", "mixed"}
KZ_LAT, KZ_LON = (40.5, 55.5), (46.4, 87.4)


def _schema_columns() -> dict[str, list[str]]:
    """table -> columns, from the '## name.csv' headings of SCHEMA.md and the line after each."""
    lines = (DATA / "SCHEMA.md").read_text().splitlines()
    out = {}
    for i, line in enumerate(lines):
        m = re.match(r"^## (\w+)\.csv", line)
        if m:
            header = next(x for x in lines[i + 1:] if x.strip())
            out[m.group(1)] = [c.strip() for c in header.split(",")]
    return out


SCHEMA = _schema_columns()


@pytest.fixture(scope="module")
def t(shipped_con) -> dict[str, pd.DataFrame]:
    return {name: store.table(name, shipped_con) for name in store.SEED_FILES}


def _db_columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f'DESCRIBE "{table}"').fetchall()]  # names from SEED_FILES only


def test_schema_md_lists_every_table_but_the_outline():
    assert set(SCHEMA) == set(store.SEED_FILES) - {"kazakhstan_outline"}


@pytest.mark.parametrize("table", sorted(store.SEED_FILES))
def test_every_csv_has_exactly_the_documented_columns(shipped_con, table):
    expected = SCHEMA.get(table, _db_columns(shipped_con, table))
    assert set(_db_columns(shipped_con, table)) == set(expected), "data/schema.sql and SCHEMA.md disagree"
    paths = sorted(DATA.glob(store.SEED_FILES[table]))
    assert paths, f"no seed file for {table}"
    for path in paths:
        with path.open(newline="") as fh:
            header = next(csv.reader(fh))
        assert set(header) == set(expected), f"{path.name}: columns {sorted(set(header) ^ set(expected))} differ"


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
    for name, col in (("sources", "year"), ("mineral_shares", "year"), ("minerals", "price_year")):
        years = pd.to_numeric(t[name][col], errors="raise").dropna()
        odd = sorted(set(years[~years.between(1950, this_year)]))
        assert not odd, f"{name}.{col}: {odd}"


def test_shares_sum_to_100_per_mineral_and_stage(t):
    s = t["mineral_shares"]
    sums = s.groupby(["mineral_id", "stage"]).share_pct.sum()
    off = sums[(sums - 100).abs() > 1]
    assert off.empty, f"shares not summing to 100 +/- 1: {off.round(2).to_dict()}"
    dupes = s[s.duplicated(["mineral_id", "stage", "country"], keep=False)]
    assert dupes.empty, f"a country listed twice: {dupes[['mineral_id', 'stage', 'country']].values.tolist()}"


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


def test_projects_lie_in_kazakhstan(t):
    p = t["projects"]
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
        for col in (c for c in df.columns if c.endswith("source_id") and name != "sources"):
            for key, cell in zip(df.iloc[:, 0], df[col]):
                ids = split_ids(cell)
                if not ids:
                    missing.append((name, key, col, "(empty)"))
                missing += [(name, key, col, sid) for sid in ids if sid not in known]
    assert not missing, f"unresolved source ids: {missing[:20]}"


def test_sources_say_who_what_when_where(t):
    s = t["sources"]
    for col in ("publisher", "title", "url"):
        blank = s[s[col].fillna("").str.strip() == ""]
        assert blank.empty, f"sources without {col}: {blank.source_id.tolist()}"
    assert s.year.notna().all(), f"sources without year: {s[s.year.isna()].source_id.tolist()}"
    assert s.url.str.match(r"^https?://\S+$").all(), s[~s.url.str.match(r"^https?://\S+$")].source_id.tolist()
    assert s.source_id.is_unique


def test_every_estimate_says_why(t):
    for name, df in t.items():
        if {"is_estimate", "estimate_basis"} <= set(df.columns):
            flagged = df[df.is_estimate.fillna(False).astype(bool)]
            blank = flagged[flagged.estimate_basis.fillna("").str.strip() == ""]
            assert blank.empty, f"{name}: estimates without a basis: {blank.iloc[:, 0].tolist()}"


def test_projects_have_capacity_and_a_source(t):
    p = t["projects"]
    assert (p.capacity_tpy > 0).all(), p[p.capacity_tpy <= 0].project_id.tolist()
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
    for cell in f.excluded_owner_origins:
        assert set(split_ids(cell)) <= OWNER_ORIGINS
    assert (partners.exposure_cap_musd > 0).all()
    assert (partners.max_budget_musd >= partners.default_budget_musd).all()


def _status_quo(t) -> pd.DataFrame:
    """Today's flows per project and route, computed here from the raw tables."""
    p, r, m = t["projects"], t["routes"], t["minerals"].set_index("mineral_id")
    rows = []
    for pr in p.itertuples():
        for rt in r.itertuples():
            tpy = pr.output_tpy * getattr(pr, f"offtake_{rt.destination}_pct") / 100 * rt.status_quo_share_pct / 100
            rows.append((pr.mineral_id, rt.destination, rt.corridor_id,
                         tpy, tpy * m.loc[pr.mineral_id, "cargo_t_per_t"] / 1000))
    return pd.DataFrame(rows, columns=["mineral_id", "destination", "corridor_id", "tpy", "cargo_kt"])


def test_stated_processing_capacity_holds_todays_flow(t):
    """SCHEMA.md: a stated processing capacity is at least today's flow of Kazakh output there."""
    flows = _status_quo(t).groupby(["destination", "mineral_id"]).tpy.sum()
    cap = t["processing_capacity"].dropna(subset=["capacity_tpy"])
    short = [(r.destination, r.mineral_id, r.capacity_tpy, round(flows.get((r.destination, r.mineral_id), 0.0), 1))
             for r in cap.itertuples() if r.capacity_tpy < flows.get((r.destination, r.mineral_id), 0.0) - 1e-6]
    assert not short, f"stated capacity below today's flow (destination, mineral, stated, today): {short}"


def test_status_quo_exceeds_processing_capacity_only_where_the_model_lifts_it(t, shipped_data):
    """Outside China, the model's processing limits hold today's flow: a stated figure below it is lifted
    to it (with a note), a missing one is today's flow, any other is used as stated."""
    flows = _status_quo(t).groupby(["destination", "mineral_id"]).tpy.sum()
    stated = {(r.destination, r.mineral_id): r.capacity_tpy for r in t["processing_capacity"].itertuples()}
    prep = model.check(shipped_data, DEFAULTS.replace(allied_capacity_pct=100.0))
    for (d, m), used in prep.processing_cap_tpy.items():
        today = flows.get((d, m), 0.0)
        cap = stated.get((d, m))
        if cap is None or pd.isna(cap) or cap < today - 1e-6:
            assert used == pytest.approx(today), (d, m)
            if cap is not None and not pd.isna(cap):
                assert any(f"processing of {m}: stated" in note for note in prep.notes), (d, m)
        else:
            assert used == pytest.approx(cap), (d, m)


def test_status_quo_exceeds_corridor_capacity_only_where_the_model_lifts_it(t, shipped_data):
    """A corridor whose stated capacity is below today's cargo is lifted to today's cargo, and the
    model says so; every other stated capacity is used as stated."""
    today = _status_quo(t).groupby("corridor_id").cargo_kt.sum()
    prep = model.check(shipped_data, DEFAULTS.replace(russia_transit_pct=100.0))
    for c in t["corridors"].dropna(subset=["capacity_kt_per_yr"]).itertuples():
        if c.corridor_id == "middle_corridor":  # set by the scenario's slider
            continue
        used = prep.corridor_cap_kt[c.corridor_id]
        if c.capacity_kt_per_yr < today.get(c.corridor_id, 0.0) - 1e-9:
            assert used == pytest.approx(today[c.corridor_id])
            assert any(c.name in note and "today's flow is used" in note for note in prep.notes)
        else:
            assert used == pytest.approx(c.capacity_kt_per_yr)
