"""Display names: a human header (with its unit) and a number format for every column a page shows,
and the reader's names for the data's minerals, countries, financiers, destinations and owner groups.

Headers and names are English msgids, translated when shown (analytics.present.i18n); pages turn
`COLUMNS` into st.column_config through display.tables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from analytics.present.i18n import N_, _, current, language


@dataclass(frozen=True)
class Column:
    """How one column is shown: header (English msgid, unit included), kind and decimals.

    kind: text, number, bool, year, link, progress (a share 0-100) or id (kept in downloads, never shown).
    """

    header: str
    kind: str = "text"
    digits: int = 0


def _num(header: str, digits: int = 0) -> Column:
    return Column(header, "number", digits)


ID_COLUMNS = frozenset({"project_id", "mineral_id", "financier_id", "commitment_id", "route_id", "corridor_id",
                        "event_id", "claim_id", "mineral_ids", "source_id", "claim_source_id", "primary_source_id",
                        "constraint", "group", "field", "input", "key", "stage", "china_listed", "is_lower_bound",
                        "countries_n", "preset_id", "draw"})

COLUMNS: dict[str, Column] = {
    # names and categories
    "project": Column(N_("Project")), "name": Column(N_("Project")), "financier": Column(N_("Financier")),
    "mineral": Column(N_("Mineral")), "product": Column(N_("Product")), "stage_label": Column(N_("Stage")),
    "owner_origin": Column(N_("Owner origin")), "owners": Column(N_("Owners")), "owner": Column(N_("Owner")),
    "operator": Column(N_("Operator")), "region": Column(N_("Region")), "funded_by": Column(N_("Funded by")),
    "main_offtake": Column(N_("Main offtake destination")), "destination": Column(N_("Processed in")),
    "country": Column(N_("Country")), "case": Column(N_("Case")), "label": Column(N_("Limit")),
    "unit": Column(N_("Unit")), "figure": Column(N_("Figure")), "value": Column(N_("Value")),
    "estimate_basis": Column(N_("Basis of estimates")), "band": Column(N_("Concentration")),
    "top_country": Column(N_("Largest country")), "leader": Column(N_("Largest producer")),
    "minerals": Column(N_("Minerals")), "measure": Column(N_("Measure")), "covers": Column(N_("Covers")),
    "kind_label": Column(N_("Kind")), "through": Column(N_("Through")), "date": Column(N_("Date")), "sources": Column(N_("Sources")),
    # money (M USD)
    "amount_musd": _num(N_("Amount (M USD)")), "capex_musd": _num(N_("Capital still needed (M USD)")),
    "expected_musd": _num(N_("Expected (M USD/yr)")), "p5_musd": _num(N_("5th percentile (M USD/yr)")),
    "undisrupted_musd": _num(N_("Undisrupted (M USD/yr)")),
    # tonnes
    "new_output_tpy": _num(N_("New output (t/yr)")), "output_tpy": _num(N_("Output (t/yr)")),
    "capacity_tpy": _num(N_("Capacity (t/yr)")), "new_capacity_tpy": _num(N_("New capacity (t/yr)")),
    "tpy": _num(N_("Tonnes a year (t/yr)")),
    # shares and percentages
    "build_pct": _num(N_("Built (%)")), "cn_stake_pct": _num(N_("Chinese stake (%)")),
    "ru_stake_pct": _num(N_("Russian stake (%)")), "stake_pct": _num(N_("Stake (%)"), 1),
    "share_pct": Column(N_("Share (%)"), "progress"),
    "offtake_china_pct": _num(N_("To China (%)")), "offtake_russia_pct": _num(N_("To Russia (%)")),
    "offtake_domestic_pct": _num(N_("Kazakhstan (%)")), "offtake_allied_pct": _num(N_("Allied (%)")),
    "china_share_pct": _num(N_("China's share (%)"), 1), "other_pct": _num(N_("'Other' in the table (%)"), 1),
    "kazakhstan_share_pct": _num(N_("Kazakhstan's share (%)"), 1), "top_share_pct": _num(N_("Its share (%)"), 1),
    "leader_share_pct": _num(N_("Its share (%)"), 1), "loss_threshold_pct": _num(N_("Loss threshold (%)")),
    "prob_loss_pct": _num(N_("Chance of a larger loss (%)"), 1),
    "dependence_before_pct": _num(N_("Dependence today (%)"), 1),
    "dependence_baseline_pct": _num(N_("Without the plan (%)"), 1),
    "dependence_after_pct": _num(N_("With the plan (%)"), 1),
    # limits
    "used": _num(N_("Used")), "limit": _num(N_("Limit")),
    "marginal_pts_per_unit": _num(N_("Dependence change per unit (points)"), 4),
    "binding": Column(N_("Binding"), "bool"),
    # indices and counts
    "hhi": _num(N_("HHI (lower bound)")), "hhi_upper": _num(N_("HHI (upper bound)")), "rank": _num(N_("Rank")),
    # years
    "year": Column(N_("Year"), "year"), "output_year": Column(N_("Output year"), "year"),
    "online_year": Column(N_("Producing from"), "year"), "lead_time_years": _num(N_("Lead time (years)")),
    # flags
    "funded": Column(N_("Funded by its owners"), "bool"), "is_estimate": Column(N_("Estimate"), "bool"),
    "estimate": Column(N_("Estimate"), "bool"), "state_owned": Column(N_("State-owned"), "bool"),
    "lifts_offtake": Column(N_("Takes its share of output"), "bool"),
    "output_is_estimate": Column(N_("Output estimated"), "bool"),
    "capacity_is_estimate": Column(N_("Capacity estimated"), "bool"),
    "capex_is_estimate": Column(N_("Capital estimated"), "bool"),
    "offtake_is_estimate": Column(N_("Offtake estimated"), "bool"),
    "differs": Column(N_("Differs"), "bool"),
    # methodology
    "input_label": Column(N_("Input")), "range": Column(N_("Allowed")), "default": Column(N_("Default")),
    "url_key": Column(N_("Link key")), "meaning": Column(N_("Meaning")), "table": Column(N_("Table")),
    "column": Column(N_("Column")), "type": Column(N_("Type")), "constraints": Column(N_("Constraints")),
    "vintage": Column(N_("Years")), "claim": Column(N_("Claim")), "claimed_value": Column(N_("Claimed")),
    "primary_value": Column(N_("Primary figure")), "verdict": Column(N_("Verdict")),
    "claim_source": Column(N_("Claim's source")), "primary_source": Column(N_("Primary source")),
    "note": Column(N_("Note")), "publisher": Column(N_("Publisher")), "title": Column(N_("Title")),
    "url": Column(N_("Link"), "link"), "accessed": Column(N_("Accessed")), "cited_in": Column(N_("Cited in")),
    "citations_n": _num(N_("Citations")),
}

# ----------------------------------------------------------------------------- the data's names

DESTINATIONS = {"china": N_("China"), "russia": N_("Russia"), "domestic": N_("Kazakhstan (domestic)"),
                "allied": N_("Allied")}
ORIGINS = {"chinese": N_("Chinese"), "russian": N_("Russian"), "kazakh_state": N_("Kazakh state"),
           "kazakh_private": N_("Kazakh private"), "western": N_("Western"), "japanese_korean": N_("Japanese / Korean"),
           "other": N_("Other"), "mixed": N_("Mixed"), "not_published": N_("Not published")}
CASES = {"before": N_("Today (status quo)"), "after": N_("Scenario plan"), "baseline": N_("Without the plan")}
CORRIDORS = {"middle_corridor": N_("Middle Corridor"), "russia_rail": N_("Russian rail"),
             "china_border": N_("China border crossings"), "domestic": N_("Domestic")}
NOT_PUBLISHED = N_("not published")


def readable(value: str) -> str:
    """A snake_case value a reader should never see, as words ('kazakh_state' -> 'Kazakh state')."""
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", value):
        return value
    return value.replace("_", " ").capitalize()


def data_name(value) -> str:
    """A name from the data (mineral, country, financier, stage, origin...) in the reader's language:
    the catalogue's form where it has one, the data's own otherwise; blank for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _data_name(str(value), current())


@lru_cache(maxsize=4096)
def _data_name(text: str, lang: str) -> str:
    if not text or text.lower() in ("none", "nan"):
        return ""
    with language(lang):
        for table in (ORIGINS, DESTINATIONS, CORRIDORS):
            if text in table:
                return _(table[text])
        said = _(readable(text))
        qualified = _QUALIFIED.fullmatch(text) if said == text and lang != "en" else None
        if qualified:  # 'Silicon (ferrosilicon) (kt Si content (silicon metal))': the name and its unit, each
            return f"{_data_name(qualified[1], lang)} ({_(qualified[2])})"
        return said


_QUALIFIED = re.compile(r"(.+?) \(([^()]*(?:\([^()]*\))?[^()]*)\)")


def data_names(values):
    """A pandas Series of data names in the reader's language (remembered per name and language)."""
    import pandas as pd

    lang = current()
    return pd.Series([_data_name(str(v), lang) if v is not None and v == v else "" for v in values.tolist()],
                     index=values.index, dtype=object)


def short(name: str, limit: int = 38) -> str:
    """A project's name without its parenthesis, cut at `limit` characters with an ellipsis:
    'Ortalyk LLP (Central Mynkuduk, Zhalpak)' -> 'Ortalyk LLP'."""
    text = re.sub(r"\s*\([^)]*\)", "", str(name)).strip() or str(name)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def header(column: str) -> str:
    """The translated header of `column` (its own name, made readable, where none is listed)."""
    col = COLUMNS.get(column)
    return _(col.header) if col else _(readable(column))


__all__ = ["CASES", "COLUMNS", "CORRIDORS", "Column", "DESTINATIONS", "ID_COLUMNS", "NOT_PUBLISHED", "ORIGINS",
           "data_name", "data_names", "header", "readable", "short"]
