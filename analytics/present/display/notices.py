"""Notices and messages the model writes in English (link decoding, saved links, bundles), in the
reader's language: each known sentence is matched by its pattern and written again from a
translated template; a sentence no pattern knows is shown as it is.

(The model keeps its notices as English sentences; structured notices would let this go. Until
then the patterns here follow analytics/model/scenario.py, and tests/test_i18n.py checks that each
of its notices is matched.)
"""
from __future__ import annotations

import re

from analytics.present.i18n import N_, _, current, fill

_UNITS = ("M USD/yr", "M USD", "% of price", "% of stated", "% of China's", "% of processing", "kt/yr", "t/yr", "%")


def _allowed(text: str) -> str:
    """'0 to 5,000 M USD (whole numbers)', 'the years 2026 to 2035', 'one of a, b' in the reader's language."""
    m = re.fullmatch(r"the years (\S+) to (\S+)", text)
    if m:
        return fill(N_("the years {first} to {last}"), first=m[1], last=m[2])
    m = re.fullmatch(r"one of (.+)", text)
    if m:
        return fill(N_("one of {choices}"), choices=m[1])
    m = re.fullmatch(r"'all' or one of the data's ids \((.*)\)", text)
    if m:
        return fill(N_("'all' or one of the data's ids ({ids})"), ids=m[1])
    m = re.fullmatch(r"(-?[\d,.]+) to (-?[\d,.]+)(?: (.+?))?( \(whole numbers\))?", text)
    if m:
        unit = _(m[3]) if m[3] else ""
        shown = fill(N_("{low} to {high}"), low=m[1], high=m[2]) + (f" {unit}" if unit else "")
        return shown + (" " + _("(whole numbers)") if m[4] else "")
    return text


def _value_with_unit(text: str) -> str:
    for unit in _UNITS:
        if text.endswith(" " + unit):
            return text[: -len(unit)] + _(unit)
    return text


_PATTERNS: list[tuple[re.Pattern, str, dict]] = [
    (re.compile(r"Ignored (?P<label>.+?) = (?P<value>'.*') from the link: allowed (?P<allowed>.+); using the default "
                r"(?P<default>.+)\.", re.S),
     N_("Ignored {label} = {value} from the link: allowed {allowed}; using the default {default}."),
     {"label": _, "allowed": _allowed, "default": _value_with_unit}),
    (re.compile(r"The link gives (?P<label>.+?) (?P<n>\d+) times \((?P<values>.*)\); using the last one if it is "
                r"allowed \((?P<allowed>.+)\)\.", re.S),
     N_("The link gives {label} {n} times ({values}); using the last one if it is allowed ({allowed})."),
     {"label": _, "allowed": _allowed}),
    (re.compile(r"The link gives its version (?P<n>\d+) times; the last one, (?P<value>.+), is used\.", re.S),
     N_("The link gives its version {n} times; the last one, {value}, is used."), {}),
    (re.compile(r"The link's version (?P<value>.+) is not recognised; read as version (?P<version>\d+)\.", re.S),
     N_("The link's version {value} is not recognised; read as version {version}."), {}),
    (re.compile(r"The link was made by another version of Heartland \(v(?P<n>\d+)\); read as version "
                r"(?P<version>\d+)\.", re.S),
     N_("The link was made by another version of Heartland (v{n}); read as version {version}."), {}),
    (re.compile(r"The link's '(?P<key>[^']*)' \((?P<what>.+)\) is no longer an input; it was ignored\.", re.S),
     N_("The link's '{key}' ({what}) is no longer an input; it was ignored."), {"what": _}),
    (re.compile(r"Without the plan, (?P<amount>[\d,.]+) kt/yr of cargo over the (?P<limit>.+?) goes by the cheapest "
                r"other route to the same buyers\.", re.S),
     N_("Without the plan, {amount} kt/yr of cargo over the {limit} goes by the cheapest other route to the same "
        "buyers."),
     {"limit": _, "amount": lambda v: v.replace(",", "\u00a0")}),
    (re.compile(r"inputs\.json: 'values' differ from 'link' for (?P<labels>.+?); the link was used\.", re.S),
     N_("inputs.json: 'values' differ from 'link' for {labels}; the link was used."),
     {"labels": lambda t: ", ".join(_(x) for x in t.split(", "))}),
]


def translate(notice: str) -> str:
    """`notice` in the reader's language (itself in English, or when no pattern knows it)."""
    if current() == "en":
        return notice
    plain = _(notice)
    if plain != notice:
        return plain
    for pattern, template, convert in _PATTERNS:
        m = pattern.fullmatch(notice)
        if m:
            values = {k: convert.get(k, lambda v: v)(v) for k, v in m.groupdict().items()}
            return fill(template, **values)
    return notice


# whole sentences the model or the stores write, listed for the catalogue (translated by translate())
SENTENCES = (
    N_("The saved scenario in this link was not found; showing the link's other values."),
    N_("Restored the scenario from the uploaded bundle."),
    N_("Contract lock-in (contracts are now data, per project, with their end years)"),
)

__all__ = ["SENTENCES", "translate"]
