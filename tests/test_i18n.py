"""The Russian interface: every string a reader sees has a translation, numbers are written for the
locale, the language travels in the link (never in the Scenario), and each page runs in Russian."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from conftest import app_test
from streamlit.testing.v1 import AppTest

from analytics.model.scenario import FIELDS, Scenario, decode
from analytics.present import i18n, methodology
from analytics.present.display import formats, notices
from analytics.present.i18n import language

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["pages/overview.py", "pages/explorer.py", "pages/tradeoffs.py", "pages/risk.py", "pages/sensitivity.py",
         "pages/compare.py", "pages/projects.py", "pages/supply_chains.py", "pages/methodology.py"]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _extracted() -> dict[str, str]:
    """Every msgid in the code and the data, extracted as `pybabel extract -F babel.cfg -k fill` does."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "fill": None}
    found = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        found.setdefault(message[0] if isinstance(message, tuple) else message, filename)  # plurals by singular
    return found


@pytest.fixture(scope="module")
def ru_catalogue():
    with open(i18n.po_path("ru"), "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(f, locale="ru") if m.id}


def test_every_string_in_the_code_and_the_data_has_a_russian_translation(ru_catalogue):
    extracted = _extracted()
    assert len(extracted) > 500  # the extraction found the pages, the model's words and the data's names
    assert {"Dependence today", "Uranium", "Export-Import Bank of the United States", "Kazakhstan",
            "DFC general envelope", "Astana"} <= set(extracted)
    missing = sorted(m for m in extracted if m not in ru_catalogue)
    assert not missing, f"not in the ru catalogue (run pybabel extract/update, then translate): {missing[:10]}"
    empty = sorted(m for m in extracted
                   if not all(ru_catalogue[m].string if isinstance(ru_catalogue[m].string, tuple)
                              else [ru_catalogue[m].string]) or ru_catalogue[m].fuzzy)
    assert not empty, f"no reviewed Russian for: {empty[:10]}"


def test_translations_keep_every_placeholder(ru_catalogue):
    for msgid, msg in ru_catalogue.items():
        strings = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) == set(PLACEHOLDER.findall(msgid)), msgid


def test_the_catalogue_translates_and_english_stays_english():
    with language("ru"):
        assert i18n.gettext("Dependence today") == "Зависимость сегодня"
        assert i18n.gettext("Tungsten") == "Вольфрам"
        assert i18n.gettext("a sentence no catalogue has") == "a sentence no catalogue has"
    assert i18n.gettext("Dependence today") == "Dependence today"
    with language("xx"):  # an unknown language is English
        assert i18n.current() == "en"


def test_numbers_are_written_for_the_locale():
    assert formats.pct(21.345) == "21.3\xa0%" and formats.musd(1700) == "1,700\xa0M USD"
    with language("ru"):
        assert formats.pct(21.345) == "21,3\xa0%"
        assert formats.musd(1700) == "1\xa0700\xa0млн долл."
        assert formats.tonnes(12500.4, unit="t/yr") == "12\xa0500\xa0т/год"
        assert formats.signed(-3.26) == "-3,3"


def test_link_notices_are_said_in_russian():
    """Each kind of notice the link decoder writes is matched and written again in Russian."""
    params = {"v": ["2", "2"], "exim": "1e9", "year": "1066", "obj": "nope", "offt": ["100", "200"], "lock": "40"}
    decoded = decode(params, {"financed_mineral": ("all", "tungsten")})
    assert len(decoded.notices) >= 5
    with language("ru"):
        said = [notices.translate(n) for n in decoded.notices]
    for english, russian in zip(decoded.notices, said):
        assert russian != english and re.search("[А-Яа-я]", russian), english
    assert any("годы с 2026 по 2035" in s for s in said)  # the allowed range, in Russian


def test_the_models_notes_on_a_closed_corridor_are_said_in_words_and_in_russian(shipped_data):
    """Closing Russian transit moves cargo in the no-plan case; the note names the limit as a reader knows it
    (no corridor id) and reads in Russian."""
    from analytics import model
    from analytics.model.presets import PRESETS

    result = model.run(shipped_data, PRESETS["russian_transit_closed"].scenario)
    assert result.notes, "closing the route moves cargo, and the page says so"
    for note in result.notes:
        assert "_" not in note and "Russian transit capacity" in note, note
        with language("ru"):
            russian = notices.translate(note)
        assert not re.search("[A-Za-z]{3,}", russian) and "тыс. т/год" in russian, russian


def test_language_is_not_part_of_the_scenario():
    assert "lang" not in {f.key for f in FIELDS} and not hasattr(Scenario(), "lang")
    assert decode({"v": "2", "lang": "ru"}).notices == ()  # the codec ignores it; the page reads it


def test_every_methodology_section_has_a_russian_version():
    for name in ("formulation", "symbols", "assumptions"):
        ru = methodology.text(name, "ru")
        assert ru != methodology.text(name) and len(re.findall("[А-Яа-я]", ru)) > 100, name
        # the maths is the same in both: every display formula of the English is in the Russian
        for formula in re.findall(r"\$\$(.+?)\$\$", methodology.text(name), re.S):
            assert formula.strip() in ru, (name, formula[:40])


def _ru(page: str | None = None, params: dict | None = None) -> AppTest:
    return app_test(params, page, lang="ru")


@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_in_russian_and_keeps_the_language_in_the_link(page):
    at = _ru(page)
    title = at.title[0].value if at.title else ""
    assert re.search("[А-Яа-я]", title) or title == "Heartland", title
    assert at.query_params["lang"] in ("ru", ["ru"])
    # the page's own words (headings, its first caption, the sidebar); the data's notes and titles stay as published
    own = [*(h.value for h in at.subheader), *(c.value for c in at.caption[:1]), *(h.value for h in at.sidebar.header)]
    assert own and all(re.search("[А-Яа-я]", t) for t in own), own


def test_the_share_link_carries_the_language_and_the_switch_changes_it():
    at = _ru("pages/explorer.py", {"v": "2", "exim": "1500"})
    link = next(c.value for c in at.code if "exim=" in c.value)
    assert "lang=ru" in link and "exim=1500" in link
    assert any(m.label == "Зависимость по плану" for m in at.metric)
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert any(m.label == "Dependence, plan" for m in at.metric)
    assert "lang" not in at.query_params and at.query_params["exim"] in ("1500", ["1500"])


def test_an_unknown_language_in_the_link_falls_back_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "<b>xx</b>"
    at.run()
    assert not at.exception
    assert any("allowed en or ru" in w.value for w in at.warning)
    assert at.title[0].value == "Heartland" and any(m.label == "Dependence today" for m in at.metric)
