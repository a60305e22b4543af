"""Every page, in both languages, at 1280 and 1920 px wide, in a real browser: no visible text is cut off, and
no internal id or 'None' shows. Chart text is drawn on canvas; tests/test_chart_text.py checks it in SVG."""
from __future__ import annotations

import re

import pytest

pytest.importorskip("playwright")
from browser import wait_until_stable  # noqa: E402

pytestmark = pytest.mark.browser

PAGES = ["overview", "explorer", "tradeoffs", "risk", "sensitivity", "compare", "projects", "supply-chains",
         "methodology"]
WIDTHS = (1280, 1920)
# Internal names a reader must never see (the Methodology page's data dictionary documents column names on purpose)
INTERNAL = re.compile(r"\b(None|nan|NaN|kazakh_state|kazakh_private|japanese_korean|is_lower_bound|countries_n|"
                      r"china_share_pct|mineral_id|project_id|financier_id|commitment_id)\b")

# An element that holds text of its own is clipped when its content is wider than its box (scrollWidth >
# clientWidth) and the box hides the rest (overflow other than visible, or an ellipsis); ancestors a few levels up
# are checked too (Streamlit cuts labels in a wrapper). KaTeX's MathML copy is hidden by design (for screen readers).
CLIPPED_JS = """() => {
  const out = [], seen = new Set();
  for (const root of document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebar"]')) {
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('.katex-mathml')) continue;
      const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (!own) continue;
      for (let node = el, depth = 0; node && node !== root && depth < 6; node = node.parentElement, depth++) {
        if (seen.has(node)) continue;
        const st = getComputedStyle(node);
        const hides = st.overflowX !== 'visible' || st.textOverflow === 'ellipsis';
        if (st.display === 'inline' || !hides || node.clientWidth === 0) continue;
        if (node.scrollWidth > node.clientWidth + 1 && st.visibility !== 'hidden') {
          const r = node.getBoundingClientRect();
          if (r.width > 0 && r.height > 0) {
            seen.add(node);
            out.push(`${(node.innerText || own).trim().slice(0, 80)} (${node.scrollWidth} > ${node.clientWidth} px)`);
          }
        }
      }
    }
  }
  return out;
}"""


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90000)
    wait_until_stable(page, 90)
    page.wait_for_timeout(500)  # charts and tables lay out after the script ends
    wait_until_stable(page, 90)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_text_is_clipped_and_no_internal_name_shows(server, browser, lang):
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 1000})
        page = context.new_page()
        for path in PAGES:
            _open(page, f"{server}/{path}" + ("?lang=ru" if lang == "ru" else ""))
            assert page.locator('[data-testid="stException"]').count() == 0, path
            problems += [f"{width} px {path}: {p}" for p in page.evaluate(CLIPPED_JS)]
            if path != "methodology":
                text = page.locator('[data-testid="stMain"]').inner_text()
                problems += [f"{width} px {path}: shows {m!r}" for m in set(INTERNAL.findall(text))]
            if lang == "ru":
                heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
                assert heading == "Heartland" or re.search("[А-Яа-я]", heading), (path, heading)
        context.close()
    assert not problems, "\n".join(problems)
