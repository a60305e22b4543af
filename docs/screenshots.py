"""Screenshots of every page in English and Russian, for the README and reviewers (run on demand, not in CI):

    HEARTLAND_CACHE=/tmp/heartland-shots python3 docs/screenshots.py            # all pages, both languages
    python3 docs/screenshots.py --pages explorer overview --width 1920

Starts `streamlit run serve.py` on a free loopback port (tests/browser.py), opens each page at the default
scenario in Debian's chromium, waits for the page to finish, and writes the whole page (as tall as it is, up to
--max-height px) to docs/screenshots/<lang>/<page>.jpg. Stops the server by its pid when done.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch, streamlit_server, wait_until_stable  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

PAGES = ("overview", "explorer", "tradeoffs", "risk", "sensitivity", "compare", "projects", "supply-chains",
         "methodology")
OUT = ROOT / "docs" / "screenshots"


def shoot(page, url: str, path: Path, width: int, max_height: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=90000)
    wait_until_stable(page, 90)
    page.wait_for_timeout(1000)
    wait_until_stable(page, 90)
    # Streamlit scrolls inside its main block: make the window as tall as the page, then take the window
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
                           "[data-testid=\"stMainBlockContainer\"]')].map(e => e.scrollHeight), 1000)")
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, max_height)})
    page.wait_for_timeout(1500)  # charts re-lay out at the new size
    wait_until_stable(page, 90)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), type="jpeg", quality=80)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", nargs="*", default=list(PAGES), choices=PAGES)
    ap.add_argument("--langs", nargs="*", default=["en", "ru"], choices=["en", "ru"])
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--max-height", type=int, default=6000)
    args = ap.parse_args(argv)
    with streamlit_server() as base, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        for lang in args.langs:
            for name in args.pages:
                path = OUT / lang / f"{name}.jpg"
                shoot(page, f"{base}/{name}" + ("?lang=ru" if lang == "ru" else ""), path, args.width, args.max_height)
                print(f"wrote {path.relative_to(ROOT)}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
