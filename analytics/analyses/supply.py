"""World supply as a user reads it: China's share and concentration (HHI) per mineral and stage,
Kazakhstan's place, the export-control timeline, the op-ed's claims beside primary figures and
the headline facts.

Concentration (HHI) is the sum of squared shares in percent, 0-10,000:

>>> hhi([50, 30, 20])
3800.0

The `Other` row of a (mineral, stage) in mineral_shares lumps many small countries together, so
it is left out of the HHI, which is then a lower bound; `concentration()` also gives the upper
bound reached if every country in `Other` were as large as the smallest listed one.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from analytics.data.sources import (
    Tables,
    _flag,
    _is_country,
    _is_other,
    _join_ids,
    _text,
    mineral_names,
    resolve_sources,
    split_ids,
)

SHARE_STAGES = ("mining", "processing", "reserves")
# US merger-guideline bands for HHI (1992 guidelines; the 2023 guidelines restored 1,800 as "highly").
HHI_MODERATE, HHI_HIGH = 1000.0, 1800.0

# ----------------------------------------------------------------------------- supply chains

def latest_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """mineral_shares restricted to the latest year of each (mineral, stage)."""
    s = shares.copy()
    year = pd.to_numeric(s.year, errors="coerce").fillna(-1)
    return s[year == year.groupby([s.mineral_id, s.stage]).transform("max")].reset_index(drop=True)


def _group_meta(g: pd.DataFrame) -> dict:
    years = pd.to_numeric(g.year, errors="coerce").dropna()
    return dict(year=int(years.max()) if len(years) else None,
                is_estimate=bool(_flag(g.is_estimate).any()) if "is_estimate" in g else False,
                source_id=_join_ids(g.source_id))


def _groups(shares: pd.DataFrame, stages: Sequence[str]):
    s = latest_shares(shares)
    s = s[s.stage.isin(stages)]
    order = {st: i for i, st in enumerate(stages)}
    keys = sorted(s.groupby(["mineral_id", "stage"]).groups, key=lambda k: (k[0], order[k[1]]))
    for key in keys:
        g = s[(s.mineral_id == key[0]) & (s.stage == key[1])]
        yield key, g


def china_share(shares: pd.DataFrame, minerals: pd.DataFrame,
                stages: Sequence[str] = ("mining", "processing")) -> pd.DataFrame:
    """China's share (%) of each mineral's world mining and processing, latest year.

    Where China has no row of its own its share is reported as 0 with china_listed=False: it is
    then at most the `Other` share (other_pct).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        china = g[_is_country(g.country, "China")]
        listed = not china.empty
        meta = _group_meta(china if listed else g)
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage,
                        china_share_pct=float(china.share_pct.sum()) if listed else 0.0,
                        china_listed=listed, other_pct=float(g[_is_other(g.country)].share_pct.sum()), **meta))
    cols = ["mineral_id", "mineral", "stage", "china_share_pct", "china_listed", "other_pct", "year",
            "is_estimate", "source_id"]
    return pd.DataFrame(out, columns=cols)


def hhi(shares_pct: Iterable[float]) -> float:
    """Herfindahl-Hirschman index: the sum of squared shares in percent (0-10,000)."""
    return float(sum(float(s) ** 2 for s in shares_pct))


def hhi_upper(named_pct: Sequence[float], other_pct: float) -> float:
    """Largest HHI possible if `other_pct` is split among countries none larger than the smallest
    named one (or than 100 % if none is named): whole pieces of that size plus a remainder."""
    cap = min(named_pct) if len(named_pct) else 100.0
    if other_pct <= 0 or cap <= 0:
        return hhi(named_pct)
    whole = math.floor(other_pct / cap + 1e-9)
    rest = max(other_pct - whole * cap, 0.0)
    return hhi(named_pct) + whole * cap ** 2 + rest ** 2


def hhi_band(value: float) -> str:
    if value > HHI_HIGH:
        return "highly concentrated"
    if value >= HHI_MODERATE:
        return "moderately concentrated"
    return "unconcentrated"


def concentration(shares: pd.DataFrame, minerals: pd.DataFrame,
                  stages: Sequence[str] = ("mining", "processing")) -> pd.DataFrame:
    """HHI per mineral and stage (latest year), from the listed countries only.

    The `Other` row is excluded, so `hhi` is a lower bound whenever other_pct > 0; `hhi_upper`
    is the bound if each country inside `Other` were as large as the smallest listed one. `band`
    reads the lower bound against the US merger-guideline thresholds (1,000 and 1,800).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        other = _is_other(g.country)
        named = g[~other].sort_values("share_pct", ascending=False)
        named_pct = named.share_pct.astype(float).tolist()
        other_pct = float(g[other].share_pct.sum())
        value = hhi(named_pct)
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage, hhi=value,
                        hhi_upper=hhi_upper(named_pct, other_pct), is_lower_bound=other_pct > 0,
                        other_pct=other_pct, countries_n=len(named),
                        top_country=_text(named.country.iloc[0]) if len(named) else "",
                        top_share_pct=named_pct[0] if named_pct else float("nan"),
                        band=hhi_band(value), **_group_meta(g)))
    cols = ["mineral_id", "mineral", "stage", "hhi", "hhi_upper", "is_lower_bound", "other_pct", "countries_n",
            "top_country", "top_share_pct", "band", "year", "is_estimate", "source_id"]
    return pd.DataFrame(out, columns=cols)


def kazakhstan_place(shares: pd.DataFrame, minerals: pd.DataFrame,
                     stages: Sequence[str] = SHARE_STAGES) -> pd.DataFrame:
    """Kazakhstan's share (%) and rank among the listed countries per mineral and stage.

    Rank 1 = largest; ties share the better rank; `Other` is not a country and is not ranked, nor is a
    country listed with a share of 0 (rank is empty). Where Kazakhstan is not listed, share and rank are
    empty (it is then inside `Other`).
    """
    names = mineral_names(minerals, shares.mineral_id)
    out = []
    for (m, stage), g in _groups(shares, stages):
        named = g[~_is_other(g.country)].copy()
        named["rank"] = named.share_pct.astype(float).rank(ascending=False, method="min")
        kz = named[_is_country(named.country, "Kazakhstan")]
        leader = named.sort_values("share_pct", ascending=False).head(1)
        listed = not kz.empty
        out.append(dict(mineral_id=m, mineral=names[m], stage=stage,
                        kazakhstan_share_pct=float(kz.share_pct.sum()) if listed else float("nan"),
                        rank=int(kz["rank"].min()) if listed and kz.share_pct.sum() > 0 else pd.NA,
                        countries_n=len(named),
                        leader=_text(leader.country.iloc[0]) if len(leader) else "",
                        leader_share_pct=float(leader.share_pct.iloc[0]) if len(leader) else float("nan"),
                        **_group_meta(kz if listed else g)))
    cols = ["mineral_id", "mineral", "stage", "kazakhstan_share_pct", "rank", "countries_n", "leader",
            "leader_share_pct", "year", "is_estimate", "source_id"]
    df = pd.DataFrame(out, columns=cols)
    df["rank"] = df["rank"].astype("Int64")
    return df


def export_control_timeline(events: pd.DataFrame, minerals: pd.DataFrame) -> pd.DataFrame:
    """Export-control events in date order, with mineral names resolved from mineral_ids."""
    e = events.copy()
    ids = [i for v in e.mineral_ids for i in split_ids(v)]
    names = mineral_names(minerals, ids)
    e["date"] = pd.to_datetime(e.date)
    e["minerals"] = e.mineral_ids.map(lambda v: ", ".join(names[i] for i in split_ids(v)))
    e["country"] = e.country.map(_text)
    e["covers"] = e.covers.map(_text)
    cols = ["date", "country", "minerals", "measure", "covers", "mineral_ids", "event_id", "source_id"]
    return e.sort_values(["date", "event_id"])[cols].reset_index(drop=True)


def export_controls_by_mineral(events: pd.DataFrame, minerals: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, mineral) it concerns, for a timeline with a row per mineral."""
    tl = export_control_timeline(events, minerals)
    names = mineral_names(minerals, [i for v in tl.mineral_ids for i in split_ids(v)])
    rows = [dict(date=r.date, mineral=names[m], mineral_id=m, country=r.country, measure=r.measure, covers=r.covers,
                 event_id=r.event_id, source_id=r.source_id)
            for r in tl.itertuples() for m in split_ids(r.mineral_ids)]
    return pd.DataFrame(rows, columns=["date", "mineral", "mineral_id", "country", "measure", "covers", "event_id",
                                       "source_id"])


def _as_number(text: str) -> float | None:
    t = _text(text).replace(",", "").replace("%", "").strip()
    try:
        return float(t)
    except ValueError:
        return None


def claims_table(claims: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The op-ed's claims beside the primary figures, with each side's source in words.

    `verdict` is 'agrees' or 'differs' where both values are plain numbers (within 5 %),
    otherwise 'see note'.
    """
    def cite(cell):
        r = resolve_sources(cell, sources)
        return "; ".join(f"{x.publisher} ({int(x.year)})" if x.found and not pd.isna(x.year) else
                         (x.publisher or x.source_id) for x in r.itertuples())

    def verdict(row):
        a, b = _as_number(row.claimed_value), _as_number(row.primary_value)
        if a is None or b is None:
            return "see note"
        return "agrees" if abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-12) else "differs"

    c = claims.copy()
    c["verdict"] = c.apply(verdict, axis=1) if len(c) else pd.Series(dtype=str)
    c["claim_source"] = c.claim_source_id.map(cite)
    c["primary_source"] = c.primary_source_id.map(cite)
    cols = ["claim_id", "claim", "claimed_value", "primary_value", "unit", "verdict", "claim_source",
            "primary_source", "note", "claim_source_id", "primary_source_id"]
    return c[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- headline figures

def _share(shares: pd.DataFrame, mineral: str, stage: str, country: str) -> pd.Series | None:
    s = latest_shares(shares)
    rows = s[(s.mineral_id == mineral) & (s.stage == stage) & _is_country(s.country, country)]
    return None if rows.empty else rows.iloc[0]


def headline_figures(t: Tables) -> pd.DataFrame:
    """The key facts the Overview and Supply-chain pages display, computed from the tables.

    Columns: key, label, value, unit, year, source_id, basis. A figure the data cannot give
    (e.g. no uranium row) is left out rather than shown as zero.
    """
    p, m = t.projects, t.minerals
    rows = [
        ("projects_n", "Projects in the catalogue", len(p), "projects", None, _join_ids(p.source_id),
         "Count of rows in projects.csv."),
        ("producing_projects_n", "Projects producing today", int((p.output_tpy > 0).sum()), "projects", None,
         _join_ids(p[p.output_tpy > 0].source_id), "Projects with output_tpy > 0."),
        ("minerals_n", "Minerals covered", len(m), "minerals", None, _join_ids(m.source_id),
         "Count of rows in minerals.csv."),
        ("us_critical_2025_n", "Of which on the 2025 US critical list", int(_flag(m.us_critical_2025).sum()),
         "minerals", None, _join_ids(m.source_id), "minerals.us_critical_2025 = true."),
        ("capex_needed_musd", "Capital still needed across the catalogue", float(p.capex_musd.sum()), "M USD",
         None, _join_ids(p[p.capex_musd > 0].source_id), "Sum of projects.capex_musd."),
        ("export_controls_n", "Export-control events recorded", len(t.export_controls), "events", None,
         _join_ids(t.export_controls.source_id), "Count of rows in export_controls.csv."),
    ]
    kz_u = _share(t.mineral_shares, "uranium", "mining", "Kazakhstan")
    if kz_u is not None:
        rows.append(("kz_uranium_mining_share_pct", "Kazakhstan's share of world uranium mining",
                     float(kz_u.share_pct), "%", kz_u.year, _text(kz_u.source_id), "mineral_shares, latest year."))
        place = kazakhstan_place(t.mineral_shares, m, stages=("mining",))
        rank = place[place.mineral_id == "uranium"]["rank"]
        if len(rank) and not pd.isna(rank.iloc[0]):
            rows.append(("kz_uranium_mining_rank", "Kazakhstan's rank in world uranium mining", int(rank.iloc[0]),
                         "rank", kz_u.year, _text(kz_u.source_id), "Rank among the listed countries."))
    for stage in ("mining", "processing"):
        cn = _share(t.mineral_shares, "tungsten", stage, "China")
        if cn is not None:
            rows.append((f"china_tungsten_{stage}_share_pct", f"China's share of world tungsten {stage}",
                         float(cn.share_pct), "%", cn.year, _text(cn.source_id), "mineral_shares, latest year."))
    out = pd.DataFrame(rows, columns=["key", "label", "value", "unit", "year", "source_id", "basis"])
    out["value"] = pd.Series([r[2] for r in rows], dtype=object)  # counts stay whole numbers
    out["year"] = pd.array([None if y is None or pd.isna(y) else int(y) for y in out.year], dtype="Int64")
    return out

