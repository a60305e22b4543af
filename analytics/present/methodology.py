"""The Methodology page's content: the scenario inputs, the data dictionary, the formulation
and the assumptions."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.data import package
from analytics.model.scenario import DEFAULTS, FIELDS, OBJECTIVES, PROJECT_MODES

# ----------------------------------------------------------------------------- methodology text

def scenario_inputs_table() -> pd.DataFrame:
    """Every Scenario input: label, unit, range, default, URL key and meaning (from scenario.FIELDS)."""
    names = {**OBJECTIVES, **PROJECT_MODES}
    rows = []
    for f in FIELDS:
        if f.choices:
            rng = "; ".join(f"{c} ({names.get(c, c)})" for c in f.choices)
        elif f.pattern:
            rng = "'all' or a mineral_id from minerals.csv"
        else:
            rng = f"{f.lo:g} to {f.hi:g}, step {f.step:g}"
        rows.append(dict(input=f.label, unit=f.unit, range=rng, default=str(getattr(DEFAULTS, f.name)),
                         url_key=f.key, field=f.name, meaning=f.help))
    return pd.DataFrame(rows)


def _constraints(rule: package.FieldRule) -> str:
    """A field's constraints in words: 'required; 0 to 100; one of: a, b'."""
    parts = ["required"] if rule.required else []
    if rule.unique:
        parts.append("unique")
    if rule.minimum is not None and rule.maximum is not None:
        parts.append(f"{rule.minimum:g} to {rule.maximum:g}")
    elif rule.minimum is not None:
        parts.append(f">= {rule.minimum:g}")
    elif rule.maximum is not None:
        parts.append(f"<= {rule.maximum:g}")
    if rule.exclusive_minimum is not None:
        parts.append(f"> {rule.exclusive_minimum:g}")
    if rule.minimum_field:
        parts.append(f">= {rule.minimum_field}")
    if rule.enum:
        parts.append("one of: " + ", ".join(rule.enum))
    return "; ".join(parts)


def data_dictionary() -> pd.DataFrame:
    """Every column of every reference table, from data/datapackage.json: table, column, type, unit,
    constraints, meaning, and the years the table's figures describe."""
    rows = []
    for table in package.resource_names():
        years = package.vintage(table)
        for rule in package.field_rules(table).values():
            unit = rule.unit or ("true/false" if rule.type == "boolean" else "")
            rows.append(dict(table=table, column=rule.name, type=rule.type, unit=unit,
                             constraints=_constraints(rule), meaning=rule.description, vintage=years))
    return pd.DataFrame(rows, columns=["table", "column", "type", "unit", "constraints", "meaning", "vintage"])


DOCS = Path(__file__).resolve().parents[2] / "docs" / "methodology"


def text(name: str, lang: str = "en") -> str:
    """One section of the methodology as Markdown (LaTeX in $...$): 'formulation', 'symbols',
    'assumptions', in `lang` (docs/methodology/<lang>/ for a translation, docs/methodology/ for English;
    English where a translation is missing). The page renders it; the prose lives in docs/, not in code."""
    translated = DOCS / lang / f"{name}.md"
    if lang != "en" and translated.is_file():
        return translated.read_text(encoding="utf-8")
    return (DOCS / f"{name}.md").read_text(encoding="utf-8")
