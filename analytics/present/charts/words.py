"""The words and colours the charts share, in the reader's language: destination and owner-origin
colours keyed by their translated names, case and waterfall-step names, label wrapping, the d3
number and time locale, and the cities drawn on the project maps."""
from __future__ import annotations

import re
import textwrap

import altair as alt

from analytics.present.display.formats import d3_locale
from analytics.present.display.names import CASES
from analytics.present.i18n import N_, _, babel_locale, fill

DESTINATION_COLOURS = {
    "China": "#d62728", "Russia": "#9467bd", "Kazakhstan (domestic)": "#2ca02c", "Allied": "#1f77b4",
}
ORIGIN_COLOURS = {
    "Chinese": "#d62728", "Russian": "#9467bd", "Kazakh state": "#2ca02c", "Kazakh private": "#98df8a",
    "Western": "#1f77b4", "Japanese / Korean": "#17becf", "Other": "#7f7f7f", "Mixed": "#bcbd22",
    "Not published": "#c7c7c7",
}

# Cities for bearings on the project maps: (name, latitude N, longitude E), rounded to 0.1 degree from
# common geographic knowledge of where each city centre lies. Approximate: a label, not a survey point.
CITIES = (
    (N_("Astana"), 51.2, 71.4),
    (N_("Almaty"), 43.2, 76.9),
    (N_("Shymkent"), 42.3, 69.6),
    (N_("Karaganda"), 49.8, 73.1),
    (N_("Ust-Kamenogorsk"), 49.9, 82.6),
    (N_("Pavlodar"), 52.3, 77.0),
    (N_("Aktobe"), 50.3, 57.2),
    (N_("Atyrau"), 47.1, 51.9),
    (N_("Aktau"), 43.6, 51.2),
)

# the model's waterfall steps (analytics.model.levers), listed for the catalogue
STEPS = (N_("Today"), N_("With the plan"), N_("Moves that cost nothing"),
         N_("Letters of interest and loans for named projects"), N_("General financing envelopes"),
         N_("Allied offtake money"), N_("Middle Corridor room beyond today's use"), N_("Allied processing room"))


TITLE_CHARACTERS = 46  # a chart title's line: fits a half-width chart at 1280 px


def heading(text: str) -> alt.TitleParams:
    """A chart's title (the question it answers) in lines that fit, never cut with an ellipsis."""
    return alt.TitleParams(wrap(text, TITLE_CHARACTERS), anchor="start", limit=0, fontSize=13)


def destination_colours() -> alt.Scale:
    return alt.Scale(domain=[_(k) for k in DESTINATION_COLOURS], range=list(DESTINATION_COLOURS.values()))


def origin_colours() -> alt.Scale:
    return alt.Scale(domain=[_(k) for k in ORIGIN_COLOURS], range=list(ORIGIN_COLOURS.values()))


def case_name(case: str) -> str:
    """'before' / 'after' / 'baseline' -> 'Today (status quo)' / 'Scenario plan' / 'Without the plan'."""
    return _(CASES.get(case, case))


def step_name(step: str) -> str:
    """A waterfall step in the reader's words; the target-year step through one template."""
    year = re.fullmatch(r"Without the plan, (\d{4})", str(step))
    if year:
        return fill(N_("Without the plan, {year}"), year=year[1])
    return _(step)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of about `width` characters, broken at spaces (a word longer than that kept whole)."""
    return textwrap.wrap(str(text), width=width, break_long_words=False) or [str(text)]


def locale_config() -> dict:
    """Vega-Lite's config.locale for the current language: numbers and month names."""
    config = {"number": d3_locale()}
    if babel_locale() == "ru":
        config["time"] = {
            "dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
            "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
            "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
            "months": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                       "октябрь", "ноябрь", "декабрь"],
            "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]}
    return config


__all__ = ["CITIES", "DESTINATION_COLOURS", "ORIGIN_COLOURS", "STEPS", "case_name", "destination_colours", "heading",
           "locale_config", "origin_colours", "step_name", "wrap"]
