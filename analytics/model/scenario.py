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

URL_VERSION = 2

OBJECTIVES = {
    "min_dependence": "Minimise dependence on China and Russia",
    "max_secure": "Maximise secure supply to allies",
    "min_financing": "Least money to reach a dependence target",
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

    @property
    def bounds(self) -> tuple[float, float]:
        """A slider's range (low, high); ValueError for a choice or free-text input."""
        if self.lo is None or self.hi is None:
            raise ValueError(f"{self.label} has no numeric range")
        return float(self.lo), float(self.hi)


FIELDS: tuple[Field, ...] = (
    Field("budget_dfc_musd", "dfc", "DFC general envelope", "M USD", 0, 5000, 50,
          help="US International Development Finance Corporation money for any eligible Kazakh project, on top of "
               "its letters of interest for named projects."),
    Field("budget_exim_musd", "exim", "US EXIM general envelope", "M USD", 0, 5000, 50,
          help="Export-Import Bank of the United States money for any eligible project, on top of its letters of "
               "interest for named projects."),
    Field("budget_jbic_musd", "jbic", "JBIC / JOGMEC general envelope", "M USD", 0, 5000, 50,
          help="Japanese public money for any eligible project."),
    Field("budget_eib_musd", "eib", "EU (EIB / Global Gateway) general envelope", "M USD", 0, 5000, 50,
          help="European public money for any eligible project."),
    Field("budget_ebrd_musd", "ebrd", "EBRD general envelope", "M USD", 0, 5000, 50,
          help="European Bank for Reconstruction and Development money for any eligible project."),
    Field("budget_private_musd", "priv", "Private western capital", "M USD", 0, 5000, 50,
          help="Private western equity and debt for any eligible project."),
    Field("budget_samruk_musd", "samruk", "Kazakh state co-financing (DBK / Samruk-Kazyna)", "M USD", 0, 5000, 50,
          help="Development Bank of Kazakhstan and Samruk-Kazyna money for any project."),
    Field("commitments_pct", "lois", "Announced project commitments that go ahead", "%", 0, 100, 5,
          help="Share of the letters of interest and loans announced for named projects (e.g. EXIM's and DFC's for "
               "the Cove Kaz tungsten project) that turns into money."),
    Field("offtake_musd", "offt", "Allied offtake money", "M USD/yr", 0, 5000, 25,
          help="Money a year that allied buyers and governments spend to win Kazakh output away from its buyers: "
               "the price premium over what those buyers pay, plus any extra freight."),
    Field("premium_floor_pct", "prem", "Least premium to win a tonne", "% of price", 0, 100, 1,
          help="The smallest premium over today's buyer's price that wins a tonne away from it, where no published "
               "price gap says more. 0 means output moves for free once capacity allows."),
    Field("middle_corridor_ktpy", "mc", "Middle Corridor capacity", "kt/yr", 0, 5000, 25,
          help="Trans-Caspian cargo capacity available to Kazakh critical-mineral cargo."),
    Field("allied_capacity_pct", "allied", "Allied processing room", "% of stated", 0, 500, 10,
          help="Room above today's flow in processing plants outside China and Russia open to Kazakh feed, as a "
               "share of the room the data states (0 = no new room, 200 = twice the stated room)."),
    Field("russia_transit_pct", "rutr", "Russian transit available", "% of stated", 0, 100, 10,
          help="Capacity of the northern route through Russia for cargo bound elsewhere (0 = closed)."),
    Field("target_year", "year", "Target year", "year", 2026, 2035, 1,
          help="New capacity counts only if its lead time lets it produce by this year; contracts that end "
               "before it free their tonnes."),
    Field("russia_weight_pct", "ruw", "Weight on Russia", "% of China's", 0, 100, 5,
          help="How much a tonne processed in Russia counts towards dependence, as a share of a tonne processed in "
               "China (100 = Russia's orbit counts as much as China's; 0 = China only)."),
    Field("transit_weight_pct", "trw", "Weight on transit", "% of processing", 0, 100, 5,
          help="How much a tonne that only crosses China or Russia on its way counts, as a share of a tonne "
               "processed there."),
    Field("objective", "obj", "Objective", "", choices=tuple(OBJECTIVES),
          help="What the optimiser is asked to do."),
    Field("financed_mineral", "fmin", "Finance projects of", "", pattern=r"all|[a-z_]{1,30}",
          help="Restrict partner financing to one mineral's projects (e.g. a tungsten pilot); 'all' for none. "
               "Other projects can still sell to allied buyers."),
    Field("project_mode", "mode", "Build decisions", "", choices=tuple(PROJECT_MODES),
          help="Partial: a project may be built in part (an LP). Whole: each project is built fully or not at all (a MILP)."),
    Field("dependence_target_pct", "dtgt", "Dependence target", "%", 0, 100, 1,
          help="With the least-money objective: the dependence index to reach."),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}
FIELD_BY_KEY = {f.key: f for f in FIELDS}

# financier id -> the data's general commitment (data/commitments.csv) its envelope slider starts
# at; financiers with no published envelope for Kazakhstan start at 0.
ENVELOPE_COMMITMENTS = {"samruk": "ml-c-dbk-rcm-programme-2025"}

# partner financier id -> its general-envelope field
FINANCIER_FIELDS = {
    "dfc": "budget_dfc_musd",
    "exim": "budget_exim_musd",
    "jbic": "budget_jbic_musd",
    "eib": "budget_eib_musd",
    "ebrd": "budget_ebrd_musd",
    "private": "budget_private_musd",
    "samruk": "budget_samruk_musd",
}


@dataclass(frozen=True)
class Scenario:
    """Every input that changes a result. Defaults are the shipped data's base case."""

    # General envelopes default to the data's general commitments (data/commitments.csv); the
    # Middle Corridor to data/corridors.csv (tests/test_scenario.py keeps them equal).
    budget_dfc_musd: float = 0.0
    budget_exim_musd: float = 0.0
    budget_jbic_musd: float = 0.0
    budget_eib_musd: float = 0.0
    budget_ebrd_musd: float = 0.0
    budget_private_musd: float = 0.0
    budget_samruk_musd: float = 1000.0
    commitments_pct: float = 100.0
    offtake_musd: float = 100.0
    premium_floor_pct: float = 5.0
    middle_corridor_ktpy: float = 1500.0
    allied_capacity_pct: float = 100.0
    russia_transit_pct: float = 100.0
    target_year: int = 2030
    russia_weight_pct: float = 100.0
    transit_weight_pct: float = 50.0
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
# Defaults each link version was written against (as values by field name); add an entry when
# defaults change, so an old link keeps its meaning. Version 1 counted China only (no Russia or
# transit weight) and treated budgets as general money.
DEFAULTS_BY_VERSION: dict[int, dict[str, Any]] = {
    1: {**dataclasses.asdict(DEFAULTS), "russia_weight_pct": 0.0, "transit_weight_pct": 0.0,
        "budget_dfc_musd": 700.0, "budget_exim_musd": 900.0, "budget_jbic_musd": 200.0, "budget_eib_musd": 500.0,
        "budget_private_musd": 300.0, "budget_samruk_musd": 330.0, "commitments_pct": 0.0, "offtake_musd": 500.0},
    2: dataclasses.asdict(DEFAULTS),
}
# Link keys of earlier versions that no longer stand for an input.
RETIRED_KEYS = {"lock": "Contract lock-in (contracts are now data, per project, with their end years)"}


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
    lo, hi = f.bounds
    if f.unit == "year":
        return f"the years {_plain(lo, kind)} to {_plain(hi, kind)}"
    whole = " (whole numbers)" if kind == "int" else ""
    return f"{_plain(lo, kind)} to {_plain(hi, kind)}{_unit(f)}{whole}"


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
    values = dict(base)
    for key, raw in params.items():
        f = FIELD_BY_KEY.get(key)
        if f is None:
            if key in RETIRED_KEYS:
                notices.append(f"The link's '{key}' ({RETIRED_KEYS[key]}) is no longer an input; it was ignored.")
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
                           f"using the default {_shown_value(f, base[f.name])}{_unit(f)}.")
            continue
        values[f.name] = value
    return Decoded(Scenario(**values), tuple(notices))
