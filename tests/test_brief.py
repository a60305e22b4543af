"""The one-page PDF brief: one page whatever the scenario or the names in the data, the explorer's
headline numbers in its text, Cyrillic and the decimal comma for Russian, plain text never markup."""
from __future__ import annotations

import datetime as dt
import functools
import io
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from analytics import model
from analytics.data import store
from analytics.data.sources import split_ids
from analytics.model.presets import PRESETS
from analytics.model.results import error_result
from analytics.model.scenario import DEFAULTS, Scenario
from analytics.present.brief import page as brief
from analytics.present.brief import pdf as pdfpage

LINK = "https://heartland.example/explorer?v=2&exim=1500&offt=250"
SCENARIOS = {"defaults": DEFAULTS, **{p.preset_id: p.scenario for p in PRESETS.values()}}
RU = {  # a few of the brief's words, as a Russian translation would give them (placeholders kept)
    "Kazakhstan's critical minerals: scenario brief": "Критические минералы Казахстана: сводка сценария",
    "Dependence today": "Зависимость сегодня",
    "Without the plan, {year}": "Без плана, {year}",
    "With the plan": "С планом",
    "Money used": "Использовано денег",
    "What binds": "Что ограничивает",
    "M USD": "млн долл.",
    "M USD/yr": "млн долл./год",
}


@pytest.fixture(scope="module")
def sources(shipped_con) -> pd.DataFrame:
    return store.table("sources", shipped_con)


@pytest.fixture(scope="module")
def solved(shipped_data):
    """name -> (result, waterfall, what binds), each scenario solved once for the module."""
    cache: dict[str, tuple] = {}

    def get(name: str, data: model.ModelData | None = None, scenario: Scenario | None = None):
        if name not in cache:
            d, s = data or shipped_data, scenario or SCENARIOS[name]
            result = model.run(d, s)
            cache[name] = (result, model.waterfall(d, s), model.what_binds(d, result))
        return cache[name]

    return get


def make(result, waterfall, what_binds, sources, **options) -> bytes:
    return brief.brief_pdf(result, link=options.pop("link", LINK), waterfall=waterfall, what_binds=what_binds,
                           sources=sources, data_version=store.data_version(), today=dt.date(2026, 11, 29), **options)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def headline_texts(result, locale: str = "en", money: str = "M USD", per_year: str = "M USD/yr") -> list[str]:
    return [brief.format_pct(result.dependence_before_pct, locale),
            brief.format_pct(result.dependence_baseline_pct, locale),
            brief.format_pct(result.dependence_after_pct, locale),
            brief.format_musd(result.financing_used_musd, locale, money),
            brief.format_musd(result.spending_musd, locale, per_year)]


def test_numbers_are_written_for_the_locale():
    assert brief.format_pct(47.698, "en") == "47.7 %"
    assert brief.format_pct(47.698, "ru") == "47,7 %"
    assert brief.format_pct(None, "en") == brief.format_pct(float("nan"), "ru") == "—"
    assert brief.format_musd(564.2, "en") == "564 M USD"
    assert brief.format_musd(1564.5, "en") == "1,564 M USD"  # as the explorer's f'{x:,.0f}' rounds: half to even
    assert brief.format_musd(1564.2, "ru", "млн долл.") == "1\xa0564 млн долл."
    assert brief.format_signed(-15.77, "en") == "-15.8" and brief.format_signed(2.04, "ru") == "+2,0"


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_one_page_with_the_explorers_headline_and_the_link(name, solved, sources):
    result, waterfall, binds = solved(name)
    assert result.ok
    reader, text = read(make(result, waterfall, binds, sources))
    assert len(reader.pages) == 1
    for figure in headline_texts(result):
        assert figure in text
    # the same figures the explorer page shows (pages/explorer.py formats them with f-strings)
    assert brief.format_pct(result.dependence_after_pct) == f"{result.dependence_after_pct:.1f} %"
    assert brief.format_musd(result.financing_used_musd) == f"{result.financing_used_musd:,.0f} M USD"
    assert LINK in re.sub(r"\s+", "", text)
    uris = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert uris == [LINK]
    assert len(reader.pages[0].images) == 2  # both charts, drawn from their Altair specs


def test_russian_translation_and_locale(solved, sources):
    result, waterfall, binds = solved("advanced_framework")  # envelopes of 1,000 M USD: a thousands separator
    reader, text = read(make(result, waterfall, binds, sources, translate=lambda s: RU.get(s, s), locale="ru"))
    assert len(reader.pages) == 1
    for phrase in ("Критические минералы Казахстана", "Зависимость сегодня", f"Без плана, {DEFAULTS.target_year}",
                   "С планом", "Что ограничивает"):
        assert phrase in text
    for figure in headline_texts(result, "ru", "млн долл.", "млн долл./год"):
        assert figure in text
    assert re.search(r"\d,\d %", text) and not re.search(r"\d\.\d %", text)
    assert "1\xa0000 млн долл." in text  # Russian groups thousands with a no-break space, kept whole by wrapping


def test_a_plan_that_finances_nothing_says_so(solved, sources):
    result, waterfall, binds = solved("status_quo")
    assert result.ok and result.financing.empty
    reader, text = read(make(result, waterfall, binds, sources))
    assert len(reader.pages) == 1
    assert "The plan finances no project." in text
    assert "Financier" not in text  # no table header over nothing


def test_long_names_are_cut_and_stay_on_one_page(shipped_data, solved, sources):
    base, _, _ = solved("defaults")
    financed = set(base.financing.project_id)
    long_name = "Северный Катпар " + "x" * 284
    assert len(long_name) == 300
    projects = shipped_data.projects.assign(name=[long_name if p in financed else n for p, n in
                                                  zip(shipped_data.projects.project_id, shipped_data.projects.name)])
    financiers = shipped_data.financiers.assign(name="F" * 300)
    data = shipped_data.replace(projects=projects, financiers=financiers)
    result, waterfall, binds = solved("long names", data, DEFAULTS)
    assert (result.financing.project == long_name).all()
    long_link = LINK + "&note=" + "y" * 300  # a link longer than a line still shows whole, wrapped
    reader, text = read(make(result, waterfall, binds, sources, link=long_link))
    assert len(reader.pages) == 1
    assert "Северный Катпар x" in text and long_name not in text and pdfpage.ELLIPSIS in text
    assert long_link in re.sub(r"\s+", "", text)


def test_user_text_is_never_markup(shipped_data, solved, sources):
    base, _, _ = solved("defaults")
    top = base.financing.sort_values("amount_musd").project_id.iloc[-1]
    odd = "**A** <b>c</b>"
    projects = shipped_data.projects.assign(name=shipped_data.projects.name.where(
        shipped_data.projects.project_id != top, odd))
    result, waterfall, binds = solved("markup", shipped_data.replace(projects=projects), DEFAULTS)
    _, text = read(make(result, waterfall, binds, sources))
    assert odd in text


def test_only_web_links_are_clickable(solved, sources):
    result, waterfall, binds = solved("defaults")
    reader, text = read(make(result, waterfall, binds, sources, link="javascript:alert(1)"))
    assert "javascript:alert(1)" in text
    assert not reader.pages[0].get("/Annots")


def test_footer_names_the_data_and_the_plans_sources(shipped_data, solved, sources):
    result, waterfall, binds = solved("defaults")
    cited = brief.plan_sources(shipped_data, result, sources)
    # the plan's projects' own sources come first
    built = set(result.financing.project_id) | set(result.builds.project_id)
    first_project = shipped_data.projects[shipped_data.projects.project_id.isin(built)].source_id.iloc[0]
    assert cited.source_id.iloc[0] == split_ids(first_project)[0]
    _, text = read(make(result, waterfall, binds, cited))
    flat = re.sub(r"\s+", " ", text)
    assert store.data_version() in text
    assert cited.source_id.iloc[0] in flat
    assert re.search(r"\(\+\d+ more\)", flat)  # too many to list: the count of the rest instead
    assert re.search(r"figures for \d{4}–\d{4}", flat)


def test_no_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setenv(pdfpage.FONT_ENV, str(tmp_path / "none.ttf"))
    with pytest.raises(pdfpage.FontMissing, match="HEARTLAND_FONT"):
        pdfpage.fonts()
    monkeypatch.delenv(pdfpage.FONT_ENV)
    monkeypatch.setattr(pdfpage, "FONT_PATHS", (str(tmp_path / "DejaVuSans.ttf"),))
    with pytest.raises(pdfpage.FontMissing, match="fonts-dejavu-core"):
        pdfpage.fonts()



def test_a_page_refuses_text_taller_than_a4():
    page = pdfpage.Page()
    footer = page.text("footer", size_pt=7)
    page.stack([page.text("x", size_pt=9), pdfpage.Block(100, lambda y, h: None, flexible=True)], footer)  # fits
    with pytest.raises(pdfpage.Overflow):
        pdfpage.Page().stack([pdfpage.Block(150, lambda y, h: None), pdfpage.Block(150, lambda y, h: None)], footer)



def test_a_scenario_without_a_plan_still_gives_its_page(solved, sources):
    unreachable = DEFAULTS.replace(objective="min_financing", dependence_target_pct=0.0)
    result, waterfall, binds = solved("unreachable", None, unreachable)
    assert result.status is model.Status.INFEASIBLE
    reader, text = read(make(result, waterfall, binds, sources))
    assert len(reader.pages) == 1
    assert "No plan is possible in this scenario" in text and "no plan is possible" in text
    assert brief.format_pct(result.dependence_before_pct) in text
    assert "Shown for the least-dependence plan of this scenario." in text

    broken = error_result(DEFAULTS, "the data could not be read")
    reader, text = read(make(broken, waterfall.iloc[0:0], binds.iloc[0:0], sources.iloc[0:0], link=""))
    assert len(reader.pages) == 1
    assert "the data could not be read" in text and "Open this scenario" not in text
    assert len(reader.pages[0].images) == 0


def test_a_waterfall_with_gaps_is_not_drawn(solved, sources):
    result, waterfall, binds = solved("defaults")
    gaps = waterfall.assign(end_pct=waterfall.end_pct.where(waterfall.index < 2))  # as model.waterfall gives on a failed solve
    reader, text = read(make(result, gaps, binds, sources))
    assert "Each lever's part could not be worked out for this scenario." in text
    assert len(reader.pages[0].images) == 1  # the offtake chart alone


@functools.cache
def measuring_page() -> pdfpage.Page:
    return pdfpage.Page()  # measures only; nothing is drawn on it


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet="abcxyzАБВЖ—…%1\xa0", min_size=1, max_size=40), max_size=40),
       width=st.floats(min_value=15, max_value=180), max_lines=st.integers(min_value=1, max_value=4))
def test_wrapped_lines_fit_their_width_and_say_when_they_are_cut(words, width, max_lines):
    page = measuring_page()
    text = " ".join(words)
    lines = page.wrap(text, width_mm=width, size_pt=8, max_lines=max_lines)
    assert len(lines) <= max_lines
    assert all(page.width(line, 8) <= width + 1e-6 for line in lines)
    whole = page.wrap(text, width_mm=width, size_pt=8)
    if len(whole) <= max_lines:
        assert lines == whole and "".join(lines).replace(" ", "") == pdfpage.plain(text).replace(" ", "")
    else:
        assert lines[-1].endswith(pdfpage.ELLIPSIS) and lines[:-1] == whole[:max_lines - 1]


def test_the_description_names_what_differs_in_the_readers_words():
    s = DEFAULTS.replace(budget_exim_musd=1500.0, target_year=2032, financed_mineral="tungsten")
    names = {"tungsten": "Tungsten"}
    assert brief.describe(DEFAULTS, translate=str, locale="en", mineral_names=names) == "none (the default scenario)"
    assert brief.describe(s, translate=str, locale="en", mineral_names=names) == (
        "US EXIM general envelope 1,500 M USD; Target year 2032; Finance projects of Tungsten")
    ru = {"US EXIM general envelope": "Общий лимит US EXIM", "M USD": "млн долл."}
    assert brief.describe(s, translate=lambda w: ru.get(w, w), locale="ru", mineral_names={"tungsten": "Вольфрам"}
                          ) == ("Общий лимит US EXIM 1\xa0500 млн долл.; Target year 2032; Finance projects of Вольфрам")


def test_chart_words_go_through_the_translation(solved):
    from analytics.present.brief import charts as briefcharts

    result, waterfall, _ = solved("defaults")
    seen: list[str] = []
    briefcharts.waterfall_png(waterfall, translate=lambda w: seen.append(w) or w, locale="en", pct=str, signed=str)
    briefcharts.offtake_png(result.offtake_by_destination, {}, translate=lambda w: seen.append(w) or w, locale="en")
    for words in ("Without the plan, {year}", "Allied offtake money", "Dependence (%)", "Share of output (%)",
                  "Processed in", "China", "Scenario plan"):
        assert words in seen
