"""What only a real browser shows: Playwright + Debian's chromium against `streamlit run`."""
from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

pytest.importorskip("playwright")
from browser import wait_for_change, wait_for_metrics, wait_until_stable  # noqa: E402

pytestmark = pytest.mark.browser


def test_cold_deep_link_goes_through_the_entry_point(server, browser):
    """The first request to a fresh server is a shared link to a deep page (runs first in this module)."""
    page = browser.new_page()
    page.goto(f"{server}/explorer?v=2&offt=2000")
    wait_for_metrics(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Scenario explorer" in nav and "common" not in nav
    assert page.get_by_role("slider", name="Allied offtake money (M USD/yr)").get_attribute(
        "aria-valuenow") in (None, "2000") or "2,000" in page.content() or "2000" in page.content()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_a_new_visitor_sees_the_headline_first_then_the_whole_page_without_doing_anything(server, browser):
    """serve.py: a new session's first run stops after the headline; the browser's answer once it has painted
    the figures draws the charts and the scenario's sliders, with the link's scenario kept."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # how many elements the page holds in the frame where its first figure is laid out
    page.add_init_script("""(() => {
      const look = () => {
        const figure = document.querySelector('[data-testid="stMetricValue"]');
        if (figure && figure.getClientRects().length)
          window.__withFigure = document.querySelectorAll('[data-testid="stElementContainer"]').length;
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look); })();""")
    page.goto(f"{server}/explorer?v=2&offt=150")
    page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=30_000)
    wait_until_stable(page)
    whole = page.locator('[data-testid="stElementContainer"]').count()
    assert page.evaluate("window.__withFigure") < whole / 3  # the headline came alone (9 of 69 elements)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 5
    assert page.get_by_role("slider", name="Allied offtake money (M USD/yr)").get_attribute("aria-valuetext") == "150"
    assert page.get_by_text("Drawing the charts").count() == 0
    assert "150\xa0M USD/yr offtake" in page.locator('[data-testid="stMetric"]').last.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.close()


def test_slider_updates_result_and_link_reproduces_it(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/explorer")
    before = wait_for_metrics(page)
    slider = page.get_by_role("slider", name="Weight on Russia (% of China's)")
    slider.focus()
    for _ in range(10):
        slider.press("ArrowLeft")
    wait_for_change(page, before)
    # 10 steps of 5 down from the default 100: the URL settles on the final value
    page.wait_for_function("() => window.location.search.includes('ruw=50')", timeout=20000)
    after = wait_for_metrics(page)
    assert after[0] != before[0]  # the plan's dependence moved
    url = page.url
    assert parse_qs(urlparse(url).query)["ruw"] == ["50"]
    assert page.locator('[data-testid="stException"]').count() == 0

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})  # nothing shared with the first session
    other = fresh.new_page()
    other.goto(url)
    assert wait_for_metrics(other) == after
    fresh.close()
    page.close()


def test_csv_download_parses(server, browser):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/explorer?v=2&offt=3000")
    wait_for_metrics(page)
    button = page.locator('[data-testid="stDownloadButton"] button:visible', has_text="dependence by mineral")
    with page.expect_download() as info:
        button.click()
    table = pd.read_csv(io.BytesIO(open(info.value.path(), "rb").read()))
    assert {"mineral_id", "dependence_before_pct", "dependence_after_pct"} <= set(table.columns)
    after = table.dependence_after_pct.dropna()  # undefined for minerals with no output yet
    assert len(after) >= 1 and after.between(0, 100).all()
    context.close()


def test_copy_link_opens_the_same_numbers_elsewhere(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/explorer?v=2&ruw=40&trw=30")
    shown = wait_for_metrics(page)
    link = page.locator('[data-testid="stCode"]', has_text="ruw=40").first.inner_text().strip()
    assert link.startswith(server) and "trw=30" in link
    other = browser.new_context(viewport={"width": 1400, "height": 1000})
    again = other.new_page()
    again.goto(link)
    assert wait_for_metrics(again) == shown
    other.close()
    context.close()


def test_excel_download_opens_with_openpyxl(server, browser, tmp_path):
    import openpyxl

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/explorer?v=2&ruw=40")
    wait_for_metrics(page)
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button:visible', has_text="Excel").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert {"inputs", "sources", "dependence_by_mineral", "financing"} <= set(wb.sheetnames)
    inputs = {row[4]: row[1] for row in wb["inputs"].iter_rows(min_row=2, values_only=True)}
    assert inputs["russia_weight_pct"] == 40
    context.close()


def test_brief_download_is_one_russian_page_with_the_pages_numbers(server, browser):
    """The explorer's brief button (built on click, outside the script run) gives a one-page PDF in the page's
    language with the figures the page shows."""
    import re

    from pypdf import PdfReader

    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(f"{server}/explorer?v=2&offt=300&lang=ru")
    shown = [v.replace("\xa0", " ") for v in wait_for_metrics(page)]
    with page.expect_download() as info:
        page.locator('[data-testid="stDownloadButton"] button:visible', has_text="PDF").click()
    assert info.value.suggested_filename == "heartland-brief-ru.pdf"
    reader = PdfReader(info.value.path())
    text = reader.pages[0].extract_text().replace("\xa0", " ")
    assert len(reader.pages) == 1 and "Зависимость сегодня" in text
    assert re.fullmatch(r"\d+,\d %", shown[0]) and shown[0] in text and shown[1] in text
    assert "lang=ru" in text.replace("\n", "")
    context.close()
