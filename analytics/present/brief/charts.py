"""The brief's two charts as PNG: the explorer's own Altair specs (charts.core), sized for a printed
page, their words passed through a translation and their numbers written for a locale, then drawn
by vl-convert (no browser, no screenshot).
"""
from __future__ import annotations

import re
import struct
from collections.abc import Callable, Iterable
from functools import lru_cache

import pandas as pd
import vl_convert as vlc
from babel.numbers import get_decimal_symbol, get_group_symbol

from analytics.model.exposure import DESTINATION_LABELS
from analytics.present.brief.pdf import fonts
from analytics.present.charts import core

SCALE = 2  # pixels per CSS pixel of the spec: sharp in print at the sizes the brief uses
WATERFALL_WIDTH_PX, WATERFALL_HEIGHT_PX = 720, 190
OFFTAKE_PANEL_WIDTH_PX = 250
# the offtake chart's own words for its two panels (charts.core.offtake_chart maps 'case' to these)
OFFTAKE_CASES = ("Today (status quo)", "Scenario plan")
# the page's own font in the charts too (vl-convert falls back to its default where it has no DejaVu Sans)
_PRINT_CONFIG = {"legend": {"orient": "bottom", "direction": "horizontal"}, "font": "DejaVu Sans"}


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


def d3_locale(locale: str) -> dict:
    """A d3-format locale for the chart's axes, from Babel's symbols for `locale`."""
    return {"decimal": get_decimal_symbol(locale), "thousands": get_group_symbol(locale), "grouping": [3],
            "currency": ["", ""]}


def _translated(node, translate: Callable[[str], str], phrases: frozenset[str], key: str = ""):
    """The spec with every title, and every string that is one of `phrases` (data values a reader
    sees: steps, destinations, panels), passed through `translate`, consistently in data, scales
    and sorts alike."""
    if isinstance(node, dict):
        return {k: _translated(v, translate, phrases, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_translated(v, translate, phrases, key) for v in node]
    if isinstance(node, str) and (key == "title" or node in phrases):
        return translate(node)
    return node


def _relabel_waterfall(spec: dict, pct: Callable[[float], str], signed: Callable[[float], str]) -> None:
    """The waterfall's bar labels ('47.7 %', '-11.8') written again for the locale, in place; rows
    without those fields are left as they are."""
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            if {"kind", "change_pts", "end_pct", "text"} <= row.keys():
                row["text"] = pct(row["end_pct"]) if row["kind"] == "total" else signed(row["change_pts"])


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """Let vl-convert find the brief's font wherever it is installed (once per process)."""
    vlc.register_font_directory(str(fonts().regular.parent))


def render(spec: dict, *, translate: Callable[[str], str], phrases: Iterable[str], locale: str) -> bytes:
    _register_fonts()
    spec = _translated(spec, translate, frozenset(phrases))
    return vlc.vegalite_to_png(spec, scale=SCALE, config=_PRINT_CONFIG, format_locale=d3_locale(locale))


def waterfall_png(waterfall: pd.DataFrame, *, translate: Callable[[str], str], locale: str,
                  pct: Callable[[float], str], signed: Callable[[float], str]) -> bytes:
    """'What each lever buys' (charts.core.waterfall_chart) at a printed page's width."""
    spec = core.waterfall_chart(waterfall).properties(width=WATERFALL_WIDTH_PX, height=WATERFALL_HEIGHT_PX).to_dict()
    spec.pop("title", None)  # the brief's own heading says it
    _relabel_waterfall(spec, pct, signed)
    return render(spec, translate=lambda text: _step_words(text, translate), phrases=list(waterfall.step.astype(str)),
                  locale=locale)


def _step_words(text: str, translate: Callable[[str], str]) -> str:
    """A step's words translated; the target-year step as its template ('Without the plan, {year}'),
    so one translation serves every year."""
    year = re.fullmatch(r"Without the plan, (\d{4})", text)
    if year is None:
        return translate(text)
    try:
        return translate("Without the plan, {year}").format(year=year[1])
    except (KeyError, IndexError, ValueError):
        return translate(text)


def offtake_png(offtake: pd.DataFrame, mineral_names: dict[str, str], *, translate: Callable[[str], str],
                locale: str) -> bytes:
    """'Where each mineral is processed' (charts.core.offtake_chart), its legend under the panels."""
    spec = core.offtake_chart(offtake, mineral_names).to_dict()
    spec.pop("title", None)  # the brief's own heading says it
    if isinstance(spec.get("spec"), dict):  # the faceted panel's own width
        spec["spec"]["width"] = OFFTAKE_PANEL_WIDTH_PX
    return render(spec, translate=translate, phrases=[*DESTINATION_LABELS.values(), *OFFTAKE_CASES], locale=locale)
