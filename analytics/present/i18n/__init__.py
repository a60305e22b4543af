"""Which language a reader sees, and the words in it: gettext catalogues compiled by Babel.

The language lives in a context variable, set once per page run (pages/common.py reads the
`lang` link parameter and the sidebar switch): cached analytics results stay language-neutral and
are put into words when they are shown. English is the source language (the msgids); Russian comes
from analytics/present/i18n/locale/ru/LC_MESSAGES/messages.po, compiled in memory on first use, so
a fresh clone needs no build step.

    pybabel extract -F babel.cfg -o analytics/present/i18n/locale/messages.pot .
    pybabel update -i analytics/present/i18n/locale/messages.pot -d analytics/present/i18n/locale

>>> with language("ru"):
...     _("Dependence today")
'Зависимость сегодня'
>>> _("Dependence today")
'Dependence today'
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
from collections.abc import Iterator
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("heartland_language", default=DEFAULT)


def set_language(lang: str) -> str:
    """Make `lang` ('en' or 'ru'; anything else: English) the language of this thread's context."""
    lang = lang if lang in LANGUAGES else DEFAULT
    _current.set(lang)
    return lang


def current() -> str:
    """The language of this context: 'en' or 'ru'."""
    return _current.get()


@contextlib.contextmanager
def language(lang: str) -> Iterator[str]:
    """Words in `lang` inside the block (the CLI, the brief, tests)."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (compiled from its .po in memory, once per process); fuzzy
    entries are left out, so an unreviewed translation shows the English."""
    path = po_path(lang)
    if lang == DEFAULT or not path.is_file():
        return _gettext.NullTranslations()
    with path.open("rb") as f:
        cat = read_po(f, locale=lang, domain=DOMAIN)
    buf = BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def gettext(message: str) -> str:
    """`message` (English) in the current language; itself where the catalogue has no translation."""
    lang = _current.get()
    return message if lang == DEFAULT else catalogue(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = _current.get()
    if lang == DEFAULT:
        return singular if n == 1 else plural
    return catalogue(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where it is shown."""
    return message


def fill(template: str, **values: object) -> str:
    """A translated template with its {placeholders} filled; a translation that breaks a placeholder
    falls back to the English template rather than failing on a reader."""
    try:
        return gettext(template).format(**values)
    except (KeyError, IndexError, ValueError):
        return template.format(**values)


def babel_locale() -> str:
    """The Babel locale name for numbers and dates in the current language."""
    return _current.get()


_ = gettext

__all__ = ["DEFAULT", "LANGUAGES", "N_", "_", "babel_locale", "catalogue", "current", "fill", "gettext", "language",
           "ngettext", "set_language"]
