"""The Scenario: every input that changes a result, with its URL codec.

A Scenario is a frozen dataclass. FIELDS describes each input as data (URL key, unit,
range, label), so validation, sliders, the URL codec and the methodology table all read
one list. Links are versioned: `v=1&exim=1200&lock=40` holds only values that differ from
the defaults of that version, so a link keeps its meaning when defaults move on.

>>> s = Scenario(budget_exim_musd=1200.0)
>>> encode(s)
{'v': '1', 'exim': '1200'}
>>> decode(encode(s)).scenario == s
True
"""
from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

URL_VERSION = 1

OBJECTIVES = {
    "min_dependence": "Minimise dependence on China",
    "max_secure": "Maximise secure supply to allies",
    "min_financing": "Least financing to reach a dependence target",
}

PROJECT_MODES = {
    "partial": "Partial builds allowed (LP)",
    "whole": "Whole projects only (MILP)",
}


@dataclass(frozen=True)
class Field:
    name: str
    key: str  # URL query key
    label: str
    unit: str
    lo: float | None = None
    hi: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    pattern: str = ""  # free-text input (validated by this regex); choices come from the data


FIELDS: tuple[Field, ...] = (
    Field("budget_dfc_musd", "dfc", "DFC budget", "M USD", 0, 5000, 50,
          help="US International Development Finance Corporation financing available for Kazakh projects."),
    Field("budget_exim_musd", "exim", "US EXIM budget", "M USD", 0, 5000, 50,
          help="Export-Import Bank of the United States financing available."),
    Field("budget_jbic_musd", "jbic", "JBIC / JOGMEC budget", "M USD", 0, 5000, 50,
          help="Japanese public financing available."),
    Field("budget_eib_musd", "eib", "EIB / Global Gateway budget", "M USD", 0, 5000, 50,
          help="European public financing available."),
    Field("budget_private_musd", "priv", "Private western capital", "M USD", 0, 5000, 50,
          help="Private western equity and debt available."),
    Field("budget_samruk_musd", "samruk", "Samruk-Kazyna co-financing", "M USD", 0, 5000, 50,
          help="Kazakhstan's sovereign wealth fund co-financing available."),
    Field("offtake_musd", "offt", "New allied offtake commitments", "M USD/yr", 0, 10000, 100,
          help="Value of Kazakh output a year that allied buyers commit to take on top of today's allied purchases."),
    Field("middle_corridor_ktpy", "mc", "Middle Corridor capacity", "kt/yr", 0, 5000, 25,
          help="Trans-Caspian cargo capacity available to Kazakh critical-mineral cargo."),
    Field("allied_capacity_pct", "allied", "Allied processing capacity", "% of today", 0, 500, 10,
          help="Processing capacity outside China and Russia open to Kazakh feed, as a share of today's."),
    Field("russia_transit_pct", "rutr", "Russian transit available", "% of today", 0, 100, 10,
          help="Capacity of the northern route through Russia, as a share of today's (0 = closed)."),
    Field("lockin_pct", "lock", "Contract lock-in", "% of China offtake", 0, 100, 5,
          help="Share of today's offtake to China that is contracted and cannot move before the target year."),
    Field("target_year", "year", "Target year", "year", 2026, 2035, 1,
          help="Projects produce new output only if their lead time allows by this year."),
    Field("russia_weight_pct", "ruw", "Weight on Russian transit", "%", 0, 100, 5,
          help="How much a tonne routed through or processed in Russia counts towards dependence (0 = not at all, 100 = as much as China)."),
    Field("objective", "obj", "Objective", "", choices=tuple(OBJECTIVES),
          help="What the optimiser is asked to do."),
    Field("financed_mineral", "fmin", "Finance projects of", "", pattern=r"all|[a-z_]{1,30}",
          help="Restrict partner financing to one mineral's projects (e.g. a tungsten pilot); 'all' for none."),
    Field("project_mode", "mode", "Build decisions", "", choices=tuple(PROJECT_MODES),
          help="Partial: a project may be built in part (an LP). Whole: each project is built fully or not at all (a MILP)."),
    Field("dependence_target_pct", "dtgt", "Dependence target", "%", 0, 100, 1,
          help="With the least-financing objective: the dependence index to reach."),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
FIELD_BY_KEY = {f.key: f for f in FIELDS}

FINANCIER_FIELDS = {
    "dfc": "budget_dfc_musd",
    "exim": "budget_exim_musd",
    "jbic": "budget_jbic_musd",
    "eib": "budget_eib_musd",
    "private": "budget_private_musd",
    "samruk": "budget_samruk_musd",
}


@dataclass(frozen=True)
class Scenario:
    """Every input that changes a result. Defaults are the shipped data's base case."""

    # Budgets and the Middle Corridor default to data/financiers.csv and data/corridors.csv
    # (sourced there; tests/test_scenario.py keeps them equal).
    budget_dfc_musd: float = 700.0
    budget_exim_musd: float = 900.0
    budget_jbic_musd: float = 200.0
    budget_eib_musd: float = 500.0
    budget_private_musd: float = 300.0
    budget_samruk_musd: float = 330.0
    offtake_musd: float = 500.0
    middle_corridor_ktpy: float = 400.0
    allied_capacity_pct: float = 100.0
    russia_transit_pct: float = 100.0
    lockin_pct: float = 50.0
    target_year: int = 2030
    russia_weight_pct: float = 0.0
    objective: str = "min_dependence"
    project_mode: str = "partial"
    financed_mineral: str = "all"
    dependence_target_pct: float = 30.0

    def __post_init__(self) -> None:
        _check(self)

    @property
    def budgets_musd(self) -> dict[str, float]:
        """Budget per partner financier id, in million USD."""
        return {fid: float(getattr(self, name)) for fid, name in FINANCIER_FIELDS.items()}

    @property
    def total_budget_musd(self) -> float:
        return sum(self.budgets_musd.values())

    def replace(self, **changes: Any) -> Scenario:
        return dataclasses.replace(self, **changes)


def _check(s: Scenario) -> None:
    """Raise ValueError naming the first field that is out of range."""
    for f in FIELDS:
        value = getattr(s, f.name)
        if f.choices:
            if value not in f.choices:
                raise ValueError(f"{f.name} must be one of {', '.join(f.choices)}; got {value!r}")
            continue
        if f.pattern:
            if not isinstance(value, str) or not re.fullmatch(f.pattern, value):
                raise ValueError(f"{f.name} must match {f.pattern}; got {value!r}")
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{f.name} must be a finite number; got {value!r}")
        if f.name == "target_year" and value != int(value):
            raise ValueError(f"target_year must be a whole year; got {value!r}")
        if not (f.lo <= value <= f.hi):
            raise ValueError(f"{f.name} must be between {f.lo:g} and {f.hi:g} {f.unit}; got {value:g}")


DEFAULTS = Scenario()
# Defaults each link version was written against; add an entry when defaults change.
DEFAULTS_BY_VERSION: dict[int, Scenario] = {1: DEFAULTS}


# Each field's Python type as the Scenario declares it ("float", "int" or "str"): how a link value is read.
_KIND: dict[str, str] = {f.name: str(f.type) for f in dataclasses.fields(Scenario)}
_MAX_SHOWN = 30  # characters of a refused link value quoted in its notice


def _format(value: Any) -> str:
    """A value as a link writes it: plain decimal, every digit kept ('1200', '0.5', '0.00001')."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def encode(s: Scenario) -> dict[str, str]:
    """Query-string dict holding only the values that differ from the current defaults."""
    out = {"v": str(URL_VERSION)}
    for f in FIELDS:
        value = getattr(s, f.name)
        if value != getattr(DEFAULTS, f.name):
            out[f.key] = _format(value)
    return out if len(out) > 1 else {}


@dataclass(frozen=True)
class Decoded:
    scenario: Scenario
    notices: tuple[str, ...] = ()


def _plain(x: float, kind: str) -> str:
    return str(int(x)) if kind == "int" else f"{x:,g}"


def allowed(f: Field, choices: Collection[str] | None = None) -> str:
    """What a link may give for one input, in words: '0 to 5,000 M USD', 'one of ...'."""
    if f.choices:
        return "one of " + ", ".join(f.choices)
    if f.pattern:
        if choices:
            shown = sorted(c for c in choices if c != "all")
            listed = ", ".join(shown[:30]) + (", ..." if len(shown) > 30 else "")
            return f"'all' or one of the data's ids ({listed})"
        return f"text matching {f.pattern}"
    kind = _KIND[f.name]
    if f.unit == "year":
        return f"the years {_plain(f.lo, kind)} to {_plain(f.hi, kind)}"
    whole = " (whole numbers)" if kind == "int" else ""
    return f"{_plain(f.lo, kind)} to {_plain(f.hi, kind)}{_unit(f)}{whole}"


def _shown_value(f: Field, value: Any) -> str:
    return value if isinstance(value, str) else _plain(value, _KIND[f.name])


def _unit(f: Field) -> str:
    return f" {f.unit}" if f.unit and f.unit != "year" else ""


def _parse(f: Field, raw: str, choices: Collection[str] | None = None) -> Any:
    """The value a link gives, exactly as written, or ValueError. Numbers are plain decimals as
    encode() writes them ('250', '0.5'): no spaces, signs, exponents, separators or hex."""
    if f.choices:
        if raw not in f.choices:
            raise ValueError
        return raw
    if f.pattern:
        if not re.fullmatch(f.pattern, raw) or (choices is not None and raw not in choices):
            raise ValueError
        return raw
    kind = _KIND[f.name]
    sign = "-?" if f.lo is not None and f.lo < 0 else ""
    if kind == "int":
        if not re.fullmatch(sign + r"[0-9]{1,9}", raw):
            raise ValueError
        return int(raw)
    # up to 340 decimals: encode() writes a float's shortest form in full, down to the smallest (5e-324)
    if not re.fullmatch(sign + r"[0-9]{1,15}(?:\.[0-9]{1,340})?", raw):
        raise ValueError
    return float(raw)


def _shown(text: str) -> str:
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", "?", text)
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "...")


def _values(raw: Any) -> list[str]:
    """Every value a link gives for one key (a key may repeat), as text."""
    if isinstance(raw, (list, tuple)):
        return [str(r) for r in raw]
    return [] if raw is None else [str(raw)]


def decode(params: Mapping[str, Any], choices: Mapping[str, Collection[str]] | None = None) -> Decoded:
    """Scenario from a query-string mapping (a key -> a value, or a list when a key repeats).

    Never raises. Unknown keys are ignored. A value is taken exactly as written or not at all:
    anything else (out of range, not a plain number, not one of the choices, a key given twice)
    gives a notice that says what is allowed and which value is used instead. `choices`: for the
    free-text inputs (Field.pattern), the values the data allows (e.g. the mineral ids).
    """
    choices = choices or {}
    notices: list[str] = []
    versions = _values(params.get("v"))
    version = URL_VERSION
    if versions:
        raw_version = versions[-1]
        if len(set(versions)) > 1:
            notices.append(f"The link gives its version {len(versions)} times; the last one, {_shown(raw_version)}, "
                           "is used.")
        if not re.fullmatch(r"[0-9]{1,4}", raw_version):
            notices.append(f"The link's version {_shown(raw_version)} is not recognised; read as version "
                           f"{URL_VERSION}.")
        elif int(raw_version) not in DEFAULTS_BY_VERSION:
            notices.append(f"The link was made by another version of Heartland (v{int(raw_version)}); read as "
                           f"version {URL_VERSION}.")
        else:
            version = int(raw_version)
    base = DEFAULTS_BY_VERSION[version]
    values = {f.name: getattr(base, f.name) for f in FIELDS}
    for key, raw in params.items():
        f = FIELD_BY_KEY.get(key)
        if f is None:
            continue
        given = _values(raw)
        if not given:
            continue
        text = given[-1]
        if len(set(given)) > 1:
            notices.append(f"The link gives {f.label} {len(given)} times ({', '.join(_shown(g) for g in given[:3])}"
                           f"{', ...' if len(given) > 3 else ''}); using the last one if it is allowed "
                           f"({allowed(f, choices.get(f.name))}).")
        try:
            value = _parse(f, text, choices.get(f.name))
            _check(Scenario(**{**values, f.name: value}))
        except (TypeError, ValueError, OverflowError):
            notices.append(f"Ignored {f.label} = {_shown(text)} from the link: allowed {allowed(f, choices.get(f.name))}; "
                           f"using the default {_shown_value(f, getattr(base, f.name))}{_unit(f)}.")
            continue
        values[f.name] = value
    return Decoded(Scenario(**values), tuple(notices))
