"""The blocks of the one-page brief (analytics.present.brief) and how it writes numbers for a
locale: each block is measured when it is made and drawn later, by pdf.Page.stack.

>>> format_pct(47.698, "en"), format_pct(47.698, "ru")
('47.7 %', '47,7 %')
>>> format_musd(1564.2, "en")
'1,564 M USD'
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal, get_minus_sign_symbol, get_plus_sign_symbol

from analytics.model.results import Result
from analytics.present.brief import charts as briefcharts
from analytics.present.brief.pdf import Block, Page, line_mm

FINANCING_ROWS, BINDS_ROWS = 5, 3
NO_VALUE = "—"
Translate = Callable[[str], str]


# ----------------------------------------------------------------------------- numbers for a locale

def number(value: float | None, digits: int, locale: str) -> str:
    """`value` rounded as the explorer rounds it (f'{value:.{digits}f}'), with `locale`'s separators."""
    if value is None or not np.isfinite(value):
        return NO_VALUE
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(Decimal(f"{value:.{digits}f}"), format=pattern, locale=locale)


def format_pct(value: float | None, locale: str = "en") -> str:
    """A dependence figure as the brief writes it: '47.7 %' (en), '47,7 %' (ru)."""
    text = number(value, 1, locale)
    return text if text == NO_VALUE else f"{text} %"


def format_signed(value: float | None, locale: str = "en", digits: int = 1) -> str:
    """A change with its sign: '+2.1', '-11.8'."""
    if value is None or not np.isfinite(value):
        return NO_VALUE
    sign = get_minus_sign_symbol(locale) if float(f"{value:.{digits}f}") < 0 else get_plus_sign_symbol(locale)
    return sign + number(abs(value), digits, locale)


def format_musd(value: float, locale: str = "en", unit: str = "M USD") -> str:
    """Money as the explorer shows it: '564 M USD', '1,500 M USD' (whole millions)."""
    return f"{number(value, 0, locale)} {unit}"


def fill(template: str, **values: str) -> str:
    """A translated template with its {named} fields filled; a translation that breaks the fields
    shows as it is rather than failing the brief."""
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def safe_link(link: str) -> str:
    """The link a reader can click: only http(s) addresses are made clickable."""
    try:
        return link if urlsplit(link).scheme in ("http", "https") else ""
    except ValueError:
        return ""


# ----------------------------------------------------------------------------- blocks

def weight(value: float, locale: str) -> str:
    """A weight in percent, without a needless decimal: '100 %', '12.5 %'."""
    return f"{number(value, 0 if value == int(value) else 1, locale)} %"


def heading(page: Page, text: str) -> Block:
    """A section's title (one line)."""
    return page.text(text, size_pt=11, bold=True)


def chart(page: Page, png: bytes, alt_text: str) -> Block:
    """A chart at the page's width, or smaller and centred when the page is short of height."""
    w_px, h_px = briefcharts.png_size(png)
    W, x0 = page.width_mm, page.left_mm

    def draw(y: float, height: float) -> None:
        width = min(W, height * w_px / h_px)
        page.image(png, x_mm=x0 + (W - width) / 2, y_mm=y, width_mm=width, height_mm=height, alt_text=alt_text)

    return Block(W * h_px / w_px, draw, flexible=True)


def headline_block(page: Page, figures: list[tuple[str, str, str]]) -> Block:
    """Shaded boxes side by side: label, figure, note. The figures share one size, the largest
    (15 pt down to 9 pt) at which each fits its box whole."""
    gap, pad, largest = 2.0, 2.0, 15.0
    box_w = (page.width_mm - gap * (len(figures) - 1)) / len(figures)
    inner = box_w - 2 * pad
    size = next((pt for pt in (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0)
                 if all(page.width(value, pt, bold=True) <= inner for _, value, _ in figures)), 9.0)
    boxes = [(page.wrap(label, width_mm=inner, size_pt=7.5, max_lines=2), page.clip(value, inner, size, bold=True),
              page.wrap(note, width_mm=inner, size_pt=7, max_lines=2)) for label, value, note in figures]
    height = 2 * pad + 2 * line_mm(7.5) + line_mm(largest) + 2 * line_mm(7)

    def draw(y: float, _h: float) -> None:
        for i, (label, value, note) in enumerate(boxes):
            x = page.left_mm + i * (box_w + gap)
            page.box(x, y, box_w, height)
            page.lines(label, x_mm=x + pad, y_mm=y + pad, width_mm=inner, size_pt=7.5, colour=80)
            top = y + pad + 2 * line_mm(7.5)
            page.lines([value], x_mm=x + pad, y_mm=top + (line_mm(largest) - line_mm(size)) / 2, width_mm=inner,
                       size_pt=size, bold=True)
            page.lines(note, x_mm=x + pad, y_mm=top + line_mm(largest), width_mm=inner, size_pt=7, colour=80)

    return Block(height, draw)


def financing(page: Page, result: Result, x: float, width: float, t: Translate, locale: str) -> Block:
    """A heading and the largest rows of the plan's financing (project, financier, M USD), or one
    sentence when it finances nothing."""
    title = page.clip(t("Largest financing in the plan"), width, 11, bold=True)
    size, fin = 7.5, result.financing
    h, top_h = line_mm(size), line_mm(11) + 0.5
    if fin.empty:
        lines = page.wrap(t("The plan finances no project.") if result.ok else t("No plan, so no financing."),
                          width_mm=width, size_pt=size, max_lines=3)

        def draw_empty(y: float, _h: float) -> None:
            page.lines([title], x_mm=x, y_mm=y, width_mm=width, size_pt=11, bold=True)
            page.lines(lines, x_mm=x, y_mm=y + top_h, width_mm=width, size_pt=size)

        return Block(top_h + h * len(lines), draw_empty)
    top = fin.sort_values("amount_musd", ascending=False, kind="stable").head(FINANCING_ROWS)
    amount_w = max(page.width(t("M USD"), size, bold=True), page.width(number(99999.9, 1, locale), size)) + 1
    name_w = (width - amount_w) * 0.56
    fin_w = width - amount_w - name_w
    rows = [(t("Project"), t("Financier"), t("M USD"), True)]
    rows += [(r.project, t(r.financier), number(r.amount_musd, 1, locale), False) for r in top.itertuples()]
    rows = [(page.clip(p, name_w - 1.5, size, b), page.clip(f, fin_w - 1.5, size, b), page.clip(a, amount_w, size, b), b)
            for p, f, a, b in rows]
    more = []
    if len(fin) > len(top):
        more = page.wrap(fill(t("{n} more rows; {money} in all"), n=str(len(fin) - len(top)),
                               money=format_musd(fin.amount_musd.sum(), locale, t("M USD"))),
                         width_mm=width, size_pt=size, max_lines=1)

    def draw(y: float, _h: float) -> None:
        page.lines([title], x_mm=x, y_mm=y, width_mm=width, size_pt=11, bold=True)
        y += top_h
        for i, (project, financier, amount, bold) in enumerate(rows):
            yy = y + i * h
            page.lines([project], x_mm=x, y_mm=yy, width_mm=name_w, size_pt=size, bold=bold)
            page.lines([financier], x_mm=x + name_w, y_mm=yy, width_mm=fin_w, size_pt=size, bold=bold)
            page.lines([amount], x_mm=x + name_w + fin_w, y_mm=yy, width_mm=amount_w, size_pt=size, bold=bold,
                       align="R")
        page.rule(y + h, x_mm=x, width_mm=width)
        page.lines(more, x_mm=x, y_mm=y + len(rows) * h, width_mm=width, size_pt=size, colour=90)

    return Block(top_h + h * (len(rows) + len(more)), draw)


def binds(page: Page, result: Result, what_binds: pd.DataFrame, x: float, width: float, t: Translate) -> Block:
    """A heading and the first 'What binds' sentences as bullets, or one sentence saying why there are none."""
    title = page.clip(t("What binds"), width, 11, bold=True)
    if result.scenario.objective != "min_dependence":
        text = [t("Shadow prices are quoted for the least-dependence objective.")]
    elif not result.ok:
        text = [t("No plan, so no limit to relax.")]
    elif what_binds.empty:
        text = [t("No limit is worth relaxing: one more unit of any budget or capacity would not lower dependence.")]
    else:
        text = ["• " + t(str(sentence)) for sentence in what_binds.sentence.head(BINDS_ROWS)]
    lines = [line for sentence in text for line in page.wrap(sentence, width_mm=width, size_pt=7.5, max_lines=3)]
    top_h = line_mm(11) + 0.5

    def draw(y: float, _h: float) -> None:
        page.lines([title], x_mm=x, y_mm=y, width_mm=width, size_pt=11, bold=True)
        page.lines(lines, x_mm=x, y_mm=y + top_h, width_mm=width, size_pt=7.5)

    return Block(top_h + line_mm(7.5) * len(lines), draw)


def link_block(page: Page, link: str, t: Translate) -> Block:
    """'Open this scenario: <link>', the link in blue and clickable when it is an http(s) address; a
    long link in smaller type, whole up to six lines."""
    label = t("Open this scenario:") + " "
    label_w = min(page.width(label, 8, bold=True), page.width_mm / 3)
    width = page.width_mm - label_w
    size, lines = 8.0, page.wrap(link, width_mm=page.width_mm - label_w, size_pt=8)
    if len(lines) > 2:
        size, lines = 7.0, page.wrap(link, width_mm=width, size_pt=7, max_lines=6)
    clickable = safe_link(link)

    def draw(y: float, _h: float) -> None:
        page.lines([page.clip(label, label_w, 8, bold=True)], x_mm=page.left_mm, y_mm=y, width_mm=label_w, size_pt=8,
                   bold=True)
        page.lines(lines, x_mm=page.left_mm + label_w, y_mm=y, width_mm=width, size_pt=size,
                   colour=(20, 80, 160) if clickable else 0, link=clickable)

    return Block(max(line_mm(8), line_mm(size) * len(lines)), draw)


def footer(page: Page, sources: pd.DataFrame, data_version: str, vintage: str, t: Translate, locale: str,
           today: dt.date) -> Block:
    """Data version and vintage, the date, and the sources' ids (as many as fit on two lines)."""
    first = ("Heartland · " + fill(t("data version {version}"), version=data_version)
             + (", " + fill(t("figures for {years}"), years=vintage) if vintage else "")
             + " · " + fill(t("made {date}"), date=format_date(today, "long", locale=locale)))
    lines = page.wrap(first, width_mm=page.width_mm, size_pt=6.5, max_lines=1)
    ids = [str(i).strip() for i in sources.get("source_id", pd.Series(dtype=str)) if str(i).strip()]
    lines += _source_lines(page, list(dict.fromkeys(ids)), page.width_mm, t)

    def draw(y: float, _h: float) -> None:
        page.rule(y - 1)
        page.lines(lines, x_mm=page.left_mm, y_mm=y, width_mm=page.width_mm, size_pt=6.5, colour=90)

    return Block(line_mm(6.5) * len(lines) + 1, draw)


def _source_lines(page: Page, ids: list[str], width: float, t: Translate) -> list[str]:
    """'Sources: a, b, c (+N more)' on at most two lines: as many ids as fit, in their order."""
    if not ids:
        return []
    label = t("Sources") + ": "

    def attempt(shown: int) -> list[str]:
        rest = len(ids) - shown
        return page.wrap(label + ", ".join(ids[:shown]) + (" " + fill(t("(+{n} more)"), n=str(rest)) if rest else ""),
                         width_mm=width, size_pt=6.5)

    lo, hi = 1, len(ids)  # the most ids that fit on two lines
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if len(attempt(mid)) <= 2 else (lo, mid - 1)
    lines = attempt(lo)
    return lines if len(lines) <= 2 else page.wrap(" ".join(lines), width_mm=width, size_pt=6.5, max_lines=2)
