"""A one-page PDF brief of a scenario, for readers who never open the app.

One A4 page, top to bottom: title and what differs from the defaults; the headline figures the
explorer shows (dependence today, without the plan in the target year, with the plan, money used);
'What each lever buys' and 'Where each mineral is processed', drawn from the explorer's own Altair
specs; the largest financing rows and the first 'What binds' sentences side by side; the share link;
a footer with the data version, its vintage and the sources cited.

Every block is measured before anything is drawn; text blocks have a line limit (cut with an
ellipsis) and the charts take the height that is left, so the page never runs onto a second one.
Every word a reader sees goes through `translate`; numbers are written for `locale` with Babel.

>>> format_pct(47.698, "en"), format_pct(47.698, "ru")
('47.7 %', '47,7 %')
>>> format_musd(564.2, "en")
'564 M USD'
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analytics.data import package
from analytics.data.sources import split_ids
from analytics.model.data import MODEL_TABLES, ModelData
from analytics.model.presets import matching_preset
from analytics.model.results import Result
from analytics.model.scenario import FIELDS, OBJECTIVES, PROJECT_MODES, Scenario, encode
from analytics.present.brief import charts as briefcharts
from analytics.present.brief import parts
from analytics.present.brief.parts import fill, format_musd, format_pct, format_signed, number
from analytics.present.brief.pdf import Block, FontMissing, Page

# ----------------------------------------------------------------------------- content

def describe(scenario: Scenario, *, translate: Callable[[str], str], locale: str,
             mineral_names: dict[str, str]) -> str:
    """The inputs that differ from the defaults, in words and with units, for `locale` (as
    analyses.compare.describe, which is English only); 'none' when it is the defaults."""
    t = translate
    changed = encode(scenario)
    items = []
    for f in FIELDS:
        if f.key not in changed:
            continue
        value = getattr(scenario, f.name)
        if f.name == "objective":
            shown = t(OBJECTIVES.get(value, value))
        elif f.name == "project_mode":
            shown = t(PROJECT_MODES.get(value, value))
        elif f.name == "financed_mineral":
            shown = t("All minerals") if value == "all" else mineral_names.get(value, value)
        elif f.name == "target_year":
            shown = str(int(value))
        else:
            digits = 0 if float(value) == int(value) else 2
            shown = f"{number(float(value), digits, locale)} {t(f.unit)}".strip()
        items.append(f"{t(f.label)} {shown}")
    return "; ".join(items) or t("none (the default scenario)")


def headline(result: Result, *, translate: Callable[[str], str], locale: str) -> list[tuple[str, str, str]]:
    """The four figures the explorer puts first: (label, value, note under it)."""
    t, s = translate, result.scenario
    after = result.dependence_after_pct if result.ok else None
    change = (fill(t("{change} pts vs today"), change=format_signed(after - result.dependence_before_pct, locale))
              if after is not None else t("no plan is possible"))
    return [
        (t("Dependence today"), format_pct(result.dependence_before_pct, locale), ""),
        (fill(t("Without the plan, {year}"), year=str(s.target_year)),
         format_pct(result.dependence_baseline_pct, locale), t("funded builds and forced reroutes only")),
        (t("With the plan"), format_pct(after, locale), change),
        (t("Money used"), format_musd(result.financing_used_musd, locale, t("M USD")),
         fill(t("+ {money} offtake"), money=format_musd(result.spending_musd, locale, t("M USD/yr")))),
    ]


def data_vintage(tables: Sequence[str] = MODEL_TABLES) -> str:
    """The years the model's tables describe, first to last ('2007-2026'); '' where none says."""
    spans = [y for y in (package.vintage_years(name) for name in tables) if y]
    if not spans:
        return ""
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    return str(first) if first == last else f"{first}–{last}"


def plan_sources(data: ModelData, result: Result, sources: pd.DataFrame) -> pd.DataFrame:
    """The sources the plan rests on, in this order: the rows of the projects it finances or builds,
    the commitments and financiers it draws on, then every mineral's price. A short list for the
    brief's footer: `sources`' rows in that order, an id missing from it kept with found=False."""
    fin, builds = result.financing, result.builds
    projects = set(fin.get("project_id", [])) | set(builds.get("project_id", []))
    cells: list = []
    p = data.projects[data.projects.project_id.isin(projects)]
    cells += list(p.get("source_id", []))
    c = data.commitments[data.commitments.commitment_id.isin(set(fin.get("commitment_id", [])))]
    cells += list(c.get("source_id", []))
    f = data.financiers[data.financiers.financier_id.isin(set(fin.get("financier_id", [])))]
    cells += list(f.get("source_id", []))
    m = data.minerals
    cells += list(m[m.mineral_id.isin(set(p.mineral_id))].get("source_id", []))
    cells += list(m.get("price_source_id", []))
    ids = list(dict.fromkeys(i for cell in cells for i in split_ids(cell)))
    out = pd.DataFrame({"source_id": ids}).merge(sources.drop_duplicates("source_id"), on="source_id", how="left")
    out["found"] = out.source_id.isin(sources.source_id)
    return out


def drawable(frame: pd.DataFrame, columns: list[str]) -> bool:
    """A chart of `frame` says something: it has rows, and every number in `columns` is finite."""
    if frame.empty or not set(columns) <= set(frame.columns):
        return False
    return bool(np.isfinite(frame[columns].to_numpy(float)).all())


# ----------------------------------------------------------------------------- the page

def brief_pdf(result: Result, *, link: str, waterfall: pd.DataFrame, what_binds: pd.DataFrame,
              sources: pd.DataFrame, data_version: str, mineral_names: dict[str, str] | None = None,
              translate: Callable[[str], str] = lambda s: s, locale: str = "en",
              today: dt.date | None = None) -> bytes:
    """The scenario of `result` on one A4 page, as PDF bytes.

    waterfall: model.waterfall(data, scenario); what_binds: model.what_binds(data, result);
    sources: the sources to cite, in order (plan_sources(data, result, store.table('sources')) for
    the plan's own, or the whole table); the footer names as many of their ids as fit on two lines.
    `link` is the share link (clickable when it is an http(s) address). `translate` gets every
    English string a reader sees; `locale` (a Babel locale name, e.g. 'ru') decides how numbers and
    the date are written; `today` is the date printed (default: today). Raises FontMissing when no
    Unicode font is installed (Debian's fonts-dejavu-core).
    """
    t = translate
    names = mineral_names or (dict(result.payload.mineral_names) if result.payload is not None else {})
    s = result.scenario
    page = Page(title=t("Scenario brief"), lang=locale)
    preset = matching_preset(s)
    blocks = [
        page.text(t("Kazakhstan's critical minerals: scenario brief"), size_pt=15, bold=True, max_lines=2),
        page.text(f"{t(preset.name) if preset is not None else t('Custom scenario')}. "
                  f"{t(OBJECTIVES.get(s.objective, s.objective))}; "
                  f"{fill(t('target year {year}'), year=str(s.target_year))}.",
                  size_pt=9.5, bold=True, colour=60, max_lines=2),
        page.text(f"{t('What differs from the defaults')}: "
                  f"{describe(s, translate=t, locale=locale, mineral_names=names)}", size_pt=8, colour=70,
                  max_lines=3),
        parts.headline_block(page, headline(result, translate=t, locale=locale)),
    ]
    if not result.ok:
        blocks.append(page.text(fill(t("No plan is possible in this scenario: {reason}."), reason=t(result.message)),
                                size_pt=8, bold=True, colour=(180, 30, 30), max_lines=2))
    blocks.append(page.text(fill(t("Dependence: the value- and criticality-weighted share of Kazakh critical-mineral "
                                   "output processed in China or Russia (Russia at {russia} of China's weight), "
                                   "cargo crossing either counted at {transit}."),
                                 russia=parts.weight(s.russia_weight_pct, locale),
                                 transit=parts.weight(s.transit_weight_pct, locale)),
                            size_pt=7, colour=90, max_lines=2))
    blocks.append(parts.heading(page, t("What each lever buys")))
    if drawable(waterfall, ["start_pct", "end_pct"]):
        blocks.append(parts.chart(page, briefcharts.waterfall_png(waterfall, translate=t, locale=locale,
                                                                  pct=lambda v: format_pct(v, locale),
                                                                  signed=lambda v: format_signed(v, locale)),
                                  t("Waterfall of dependence from today to the plan")))
        if s.objective != "min_dependence":
            blocks.append(page.text(t("Shown for the least-dependence plan of this scenario."), size_pt=7, colour=90))
    else:
        blocks.append(page.text(t("Each lever's part could not be worked out for this scenario."), size_pt=8,
                                max_lines=2))
    blocks.append(parts.heading(page, t("Where each mineral is processed")))
    offtake = result.offtake_by_destination
    if drawable(offtake, ["share_pct"]):
        blocks.append(parts.chart(page, briefcharts.offtake_png(offtake, names, translate=t, locale=locale),
                                  t("Share of each mineral's output by where it is processed, today and with the plan")))
    else:
        blocks.append(page.text(t("No flows to show for this scenario."), size_pt=8, max_lines=2))
    gutter = 6.0
    half = (page.width_mm - gutter) / 2
    left = parts.financing(page, result, page.left_mm, half, t, locale)
    right = parts.binds(page, result, what_binds, page.left_mm + half + gutter, page.width_mm - half - gutter, t)
    blocks += [Block(max(left.height_mm, right.height_mm),
                     lambda y, _h: (left.draw(y, left.height_mm), right.draw(y, right.height_mm))),
               *([parts.link_block(page, link, t)] if link.strip() else [])]
    page.stack(blocks, parts.footer(page, sources, data_version, data_vintage(), t, locale,
                                    today or dt.date.today()))
    return page.output()


__all__ = ["FontMissing", "brief_pdf", "data_vintage", "describe", "format_musd", "format_pct", "format_signed",
           "headline", "number", "plan_sources"]
