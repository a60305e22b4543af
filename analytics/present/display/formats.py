"""Numbers as a reader sees them, in the current language (Babel): '700 M USD', '21.3 %',
'12,500 t' in English; '700 млн долл.', '21,3 %', '12 500 т' in Russian (decimal comma, no-break
thousands space).

>>> print(pct(21.345), musd(700), tonnes(12500.4))
21.3 % 700 M USD 12,500 t
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import get_minus_sign_symbol, get_plus_sign_symbol, parse_pattern

from analytics.present.i18n import _, babel_locale

NO_VALUE = "—"


def _finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


@lru_cache(maxsize=16)
def _pattern(digits: int):
    return parse_pattern("#,##0" + ("." + "0" * digits if digits else ""))


@lru_cache(maxsize=8)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def number(value, digits: int = 0) -> str:
    """`value` rounded to `digits` decimals (as f'{value:,.{digits}f}' rounds) with the locale's separators
    (Babel's format_decimal, with its pattern and locale parsed once: pages write many numbers a rerun)."""
    if not _finite(value):
        return NO_VALUE
    return _pattern(digits).apply(Decimal(f"{float(value):.{digits}f}"), _locale(babel_locale()))


def pct(value, digits: int = 1) -> str:
    """A share or a dependence figure: '21.3 %'."""
    text = number(value, digits)
    return text if text == NO_VALUE else f"{text}\u00a0%"


def signed(value, digits: int = 1) -> str:
    """A change with its sign: '+2.1', '-11.8'."""
    if not _finite(value):
        return NO_VALUE
    loc = babel_locale()
    sign = get_minus_sign_symbol(loc) if float(f"{float(value):.{digits}f}") < 0 else get_plus_sign_symbol(loc)
    return sign + number(abs(float(value)), digits)


def points(value, digits: int = 1) -> str:
    """A change in percentage points: '-11.8 pts'."""
    return f"{signed(value, digits)}\u00a0{_('pts')}"


def musd(value, digits: int = 0) -> str:
    """Money: '700 M USD'."""
    return f"{number(value, digits)}\u00a0{_('M USD')}" if _finite(value) else NO_VALUE


def musd_yr(value, digits: int = 0) -> str:
    """Money a year: '100 M USD/yr'."""
    return f"{number(value, digits)}\u00a0{_('M USD/yr')}" if _finite(value) else NO_VALUE


def tonnes(value, digits: int = 0, unit: str = "t") -> str:
    """Tonnes with thousands separators: '12,500 t' (unit 't/yr' for a flow)."""
    return f"{number(value, digits)}\u00a0{_(unit)}" if _finite(value) else NO_VALUE


def quantity(value, unit: str) -> str:
    """A number in one of the model's units ('M USD', 't/yr', 'kt/yr', '%'), written as a reader reads it."""
    if unit == "%":
        return pct(value, 0 if _finite(value) and float(value) == int(float(value)) else 1)
    digits = 0 if not _finite(value) or abs(float(value)) >= 10 or float(value) == int(float(value)) else 2
    return f"{number(value, digits)}\u00a0{_(unit)}" if unit else number(value, digits)


def date(day: dt.date, form: str = "medium") -> str:
    """A date for the locale: '9 Nov 2025' / '9 нояб. 2025 г.'."""
    return format_date(day, form, locale=babel_locale())


def d3_locale() -> dict:
    """A d3-format locale (Vega-Lite's numbers on axes) for the current language."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    loc = babel_locale()
    return {"decimal": get_decimal_symbol(loc), "thousands": get_group_symbol(loc), "grouping": [3],
            "currency": ["", ""]}


__all__ = ["NO_VALUE", "d3_locale", "date", "musd", "musd_yr", "number", "pct", "points", "quantity", "signed",
           "tonnes"]
