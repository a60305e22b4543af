"""pybabel extractors for words that are not in `_()` calls: the model's own words (input labels, units
and help, objectives, presets, waterfall steps, limit names) and the data's names (minerals,
financiers, countries, corridors, table names). babel.cfg names them:

    [analytics.present.i18n.extract.model_words: analytics/model/scenario.py]
    [analytics.present.i18n.extract.data_names: data/minerals.csv]

Each yields (line, None, message, comments) as Babel's extractors do; the comment says where the
word comes from, for the translator.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

Found = tuple[int, None, str, list[str]]


def _words(pairs) -> Iterator[Found]:
    seen: set[str] = set()
    for where, text in pairs:
        text = str(text or "").strip()
        if text and text not in seen:
            seen.add(text)
            yield 0, None, text, [where]


def model_words(fileobj, keywords, comment_tags, options) -> Iterator[Found]:
    """The model's and the analyses' words a reader sees (they are English constants there: the model
    stays free of translation; pages translate them when they show them)."""
    from analytics.analyses import compare, risk, supply
    from analytics.analyses import projects as catalogue
    from analytics.data import package
    from analytics.model import labels
    from analytics.model.exposure import DESTINATION_LABELS
    from analytics.model.presets import PRESETS
    from analytics.model.results import UNITS
    from analytics.model.scenario import FIELDS, OBJECTIVES, PROJECT_MODES, RETIRED_KEYS

    pairs = []
    for f in FIELDS:
        pairs += [(f"scenario input {f.name}", f.label), (f"unit of {f.name}", f.unit), (f"help of {f.name}", f.help)]
    pairs += [("objective", v) for v in OBJECTIVES.values()]
    pairs += [("build mode", v) for v in PROJECT_MODES.values()]
    for p in PRESETS.values():
        pairs += [(f"preset {p.preset_id}", p.name), (f"description of preset {p.preset_id}", p.description)]
    pairs += [("destination", v) for v in DESTINATION_LABELS.values()]
    pairs += [("corridor limit", v) for v in labels.CORRIDOR_LABELS.values()]
    pairs += [("unit of a limit", v) for v in UNITS.values()]
    pairs += [("risk event", v) for v in risk.EVENT_LABELS.values()]
    pairs += [("risk case", v) for v in risk.CASE_LABELS.values()]
    pairs += [("project stage", v) for v in catalogue.STAGE_LABELS.values()]
    pairs += [("owner origin", v) for v in catalogue.OWNER_ORIGINS]
    pairs += [("world supply stage", v) for v in supply.STAGE_LABELS.values()]
    pairs += [("comparison measure", label) for _key, label, _unit in compare.MEASURES]
    pairs += [("comparison unit", unit) for _key, _label, unit in compare.MEASURES]
    pairs += [("comparison choice", v) for v in ("Current scenario", "Current scenario (sidebar)", "Defaults")]
    pairs += [("retired link key", v) for v in RETIRED_KEYS.values()]
    pairs += [("reference table", name.replace("_", " ").capitalize()) for name in package.resource_names()]
    pairs += [("reference table title", package.resource(name).get("title", "")) for name in package.resource_names()]
    pairs += [("case", v) for v in ("Status quo", "Scenario plan", "Without the plan", "Today (%)")]
    yield from _words(pairs)


# per data file: the columns whose values are names a reader sees
DATA_COLUMNS = {"minerals.csv": ("name",), "financiers.csv": ("name",), "corridors.csv": ("name",),
                "world_production.csv": ("country", "unit"), "processing_shares.csv": ("country", "unit"),
                "export_controls.csv": ("country",)}


def data_names(fileobj, keywords, comment_tags, options) -> Iterator[Found]:
    """The names in a data file's name columns (DATA_COLUMNS, or `columns = a, b` in babel.cfg)."""
    name = getattr(fileobj, "name", "")
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    wanted = [c.strip() for c in options.get("columns", "").split(",") if c.strip()] or DATA_COLUMNS.get(base, ())
    text = fileobj.read()
    rows = csv.DictReader(io.StringIO(text.decode("utf-8") if isinstance(text, bytes) else text))
    pairs = [(f"{base}: {col}", row.get(col)) for row in rows for col in wanted]
    yield from _words(pairs)
