"""Compare 2-4 scenarios: inputs and results side by side, differences flagged.

Scenarios come from presets, saved scenarios (?s=ID), pasted share links and the sidebar. Every
table here is a plain DataFrame with one column per scenario (its label), so a page shows them as
they are and the downloads hold the same numbers.

>>> from analytics.model.scenario import DEFAULTS
>>> t = inputs_side_by_side({"a": DEFAULTS, "b": DEFAULTS.replace(transit_weight_pct=10.0)})
>>> list(t.field[t.differs])
['transit_weight_pct']
>>> parse_link("?v=2&exim=1500")[1].budget_exim_musd
1500.0
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from analytics.data import saved
from analytics.model import Result, bounded
from analytics.model.scenario import DEFAULTS, FIELD_BY_KEY, FIELDS, OBJECTIVES, PROJECT_MODES, Scenario, decode, encode
from analytics.present import exports
from analytics.present.text import INVISIBLE

MIN_SCENARIOS, MAX_SCENARIOS = 2, 4
MAX_LINK_CHARS = 4000
MAX_LINES = 10
MAX_LABEL = 60
_log = logging.getLogger(__name__)

MEASURES = (  # key, label, unit: the rows of the results table
    ("dependence_before_pct", "Dependence on China today", "%"),
    ("dependence_after_pct", "Dependence on China, plan", "%"),
    ("change_pts", "Change in dependence", "points"),
    ("financing_used_musd", "Financing used", "M USD"),
    ("budget_available_musd", "Partner budgets available", "M USD"),
    ("projects_built", "Projects built (in whole or part)", "projects"),
    ("capex_built_musd", "Capex of what is built", "M USD"),
)


# ----------------------------------------------------------------------------- labels and links

def _clip(text: str, n: int = MAX_LABEL) -> str:
    text = INVISIBLE.sub(" ", str(text)).strip()  # controls, terminal escapes, text-direction overrides
    return text if len(text) <= n else text[: n - 1] + "…"


def format_value(name: str, value) -> str:
    """An input's value as a user reads it ('1,200', 'Whole projects only (MILP)')."""
    if name == "objective":
        return OBJECTIVES.get(value, str(value))
    if name == "project_mode":
        return PROJECT_MODES.get(value, str(value))
    if name == "financed_mineral":
        return "All minerals" if value == "all" else str(value)
    if name == "target_year":
        return str(int(value))
    if isinstance(value, float):
        return f"{value:,.0f}" if value == int(value) else f"{value:,.4g}"
    return str(value)


def describe(scenario: Scenario) -> str:
    """The inputs that differ from the defaults, in words ('US EXIM general envelope 1,500; ...'), or 'defaults'."""
    parts = [f"{FIELD_BY_KEY[k].label} {format_value(FIELD_BY_KEY[k].name, getattr(scenario, FIELD_BY_KEY[k].name))}"
             for k in encode(scenario) if k in FIELD_BY_KEY]
    return "; ".join(parts) or "defaults"


def unique_labels(labels: list[str]) -> list[str]:
    """Labels made unique (they become column names): a repeat gets ' (2)', ' (3)'..."""
    out: list[str] = []
    for label in labels:
        label = _clip(label) or "Scenario"
        candidate, k = label, 2
        while candidate in out:
            candidate, k = f"{label} ({k})", k + 1
        out.append(candidate)
    return out


def parse_link(text: str, *, load: Callable[[str], saved.Saved | None] = saved.load,
               choices: Mapping[str, Collection[str]] | None = None) -> tuple[str, Scenario | None, tuple[str, ...]]:
    """(label, Scenario, notices) from pasted text: a full share link, a bare query string
    ('v=2&exim=1500' or '?v=2&exim=1500'), a saved link or id ('?s=ID', 'ID').

    Never raises. Scenario is None when the text holds no scenario (not a Heartland link, an
    unknown saved id); the notices say why. Bad values in a link fall back to the defaults, with
    a notice each, as when the link is opened.
    """
    try:
        return _parse_link(text, load, choices)
    except Exception as exc:  # noqa: BLE001 - pasted text must never break the page; say so instead
        _log.exception("parse_link failed on %r", str(text)[:200])
        return "", None, (f"The link could not be read ({type(exc).__name__}).",)


def _parse_link(text: str, load, choices=None) -> tuple[str, Scenario | None, tuple[str, ...]]:
    text = (text if isinstance(text, str) else "").strip()
    if not text:
        return "", None, ("The link is empty.",)
    if len(text) > MAX_LINK_CHARS:
        return "", None, (f"The link is longer than {MAX_LINK_CHARS:,} characters; it is not a Heartland link.",)
    shown = repr(_clip(text, 40))
    if saved.ID_PATTERN.fullmatch(text) and "=" not in text:
        params: dict[str, list[str]] = {"s": [text]}
        is_url = False
    else:
        is_url = bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text))
        query = urlsplit(text).query if is_url else text.split("?", 1)[-1]
        if not is_url and "=" not in query:
            return "", None, (f"{shown} is not a Heartland link: paste the whole address, a query such as "
                              "'v=2&exim=1500', or a saved link '?s=ID'.",)
        try:
            params = parse_qs(query, keep_blank_values=True, max_num_fields=200)
        except ValueError:  # more fields than any scenario has
            return "", None, (f"{shown} has far more values than a Heartland link; it is not one.",)
    if "s" in params:
        sid = params["s"][-1]
        try:
            hit = load(sid)
        except saved.StoreUnavailable as exc:
            return "", None, (str(exc),)
        if hit is None:
            return "", None, (f"No saved scenario has the id {_clip(sid, 20)!r} here (a saved id works only in the "
                              "app where it was saved; its share link works anywhere).",)
        return f"Saved: {_clip(hit.name, 40)}", hit.scenario, hit.notices
    known = [k for k in params if k in FIELD_BY_KEY or k == "v"]
    if not known and not (is_url and not params):
        return "", None, (f"{shown} holds no Heartland scenario values.",)
    decoded = decode({k: params[k] for k in known}, choices)
    return f"Link: {describe(decoded.scenario)}", decoded.scenario, decoded.notices


# ----------------------------------------------------------------------------- choosing scenarios

def choices(presets: Mapping | None = None, saved_rows: pd.DataFrame | None = None) -> dict[str, str]:
    """What a user can pick, key -> label: the sidebar's scenario, the defaults, presets, and the saves of this
    session (saved_rows: id, name; saves are private, so never a listing of the store)."""
    out = {"current": "Current scenario (sidebar)", "defaults": "Defaults"}
    for pid, p in (presets or {}).items():
        out[f"preset:{pid}"] = f"Preset: {p.name}"
    if saved_rows is not None:
        for row in saved_rows.itertuples():
            out[f"saved:{row.id}"] = f"Saved: {_clip(row.name, 40)} ({row.id})"
    return out


def default_pick(options: Mapping[str, str]) -> list[str]:
    """The sidebar's scenario against the status quo preset (else the defaults)."""
    return ["current", "preset:status_quo" if "preset:status_quo" in options else "defaults"]


def gather(picked: list[str], pasted: str, *, current: Scenario, presets: Mapping | None = None,
           load: Callable[[str], saved.Saved | None] = saved.load,
           choices: Mapping[str, Collection[str]] | None = None) -> tuple[dict[str, Scenario], list[str]]:
    """The scenarios to compare, label -> Scenario (at most four, labels unique), and notices."""
    chosen: list[tuple[str, Scenario]] = []
    notices: list[str] = []
    presets = presets or {}
    for key in picked:
        kind, _, ident = key.partition(":")
        if key == "current":
            chosen.append(("Current scenario", current))
        elif key == "defaults":
            chosen.append(("Defaults", DEFAULTS))
        elif kind == "preset" and ident in presets:
            chosen.append((f"Preset: {presets[ident].name}", presets[ident].scenario))
        elif kind == "saved":
            label, scenario, why = parse_link(f"?s={ident}", load=load)
            notices += [f"Saved scenario {ident}: {n}" for n in why]
            if scenario is not None:
                chosen.append((label, scenario))
    lines = [line for line in (pasted or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINES:
        notices.append(f"Only the first {MAX_LINES} pasted lines are read.")
    for i, line in enumerate(lines[:MAX_LINES], start=1):
        label, scenario, why = parse_link(line, load=load, choices=choices)
        notices += [f"Pasted line {i}: {n}" for n in why]
        if scenario is not None:
            chosen.append((label, scenario))
    if len(chosen) > MAX_SCENARIOS:
        notices.append(f"{len(chosen)} scenarios chosen; comparing the first {MAX_SCENARIOS}.")
        chosen = chosen[:MAX_SCENARIOS]
    return dict(zip(unique_labels([label for label, _ in chosen]), (s for _, s in chosen))), notices


# ----------------------------------------------------------------------------- side by side

def _check(items: Mapping) -> None:
    if not MIN_SCENARIOS <= len(items) <= MAX_SCENARIOS:
        raise ValueError(f"compare {MIN_SCENARIOS} to {MAX_SCENARIOS} scenarios, not {len(items)}")


def inputs_side_by_side(scenarios: Mapping[str, Scenario], *, as_text: bool = False) -> pd.DataFrame:
    """Rows: every input (field, label, unit, URL key); a column per scenario; 'differs' where they disagree.

    as_text: values as a user reads them (for display); otherwise raw values (for downloads)."""
    rows = []
    for f in FIELDS:
        values = {label: getattr(s, f.name) for label, s in scenarios.items()}
        shown = {label: format_value(f.name, v) for label, v in values.items()} if as_text else values
        rows.append({"field": f.name, "input": f.label, "unit": f.unit, "url_key": f.key, **shown,
                     "differs": len(set(values.values())) > 1})
    return pd.DataFrame(rows)


def summary(results: Mapping[str, Result]) -> pd.DataFrame:
    """One row per scenario: status and the headline measures (NaN where there is no plan)."""
    rows = []
    for label, r in results.items():
        after = r.dependence_after_pct if r.ok and r.dependence_after_pct is not None else float("nan")
        rows.append({
            "scenario": label, "status": r.status.value,
            "dependence_before_pct": r.dependence_before_pct, "dependence_after_pct": after,
            "change_pts": after - r.dependence_before_pct,
            "financing_used_musd": r.financing_used_musd if r.ok else float("nan"),
            "budget_available_musd": r.scenario.total_budget_musd,
            "projects_built": float(len(r.builds)) if r.ok else float("nan"),
            "capex_built_musd": float(r.builds.capex_musd.sum()) if r.ok and not r.builds.empty else
            (0.0 if r.ok else float("nan")),
        })
    return pd.DataFrame(rows)


def results_side_by_side(results: Mapping[str, Result]) -> pd.DataFrame:
    """Rows: the headline measures (key, measure, unit); a column of numbers per scenario."""
    s = summary(results).set_index("scenario")
    rows = [{"key": key, "measure": label, "unit": unit, **s[key].astype(float).to_dict()}
            for key, label, unit in MEASURES]
    return pd.DataFrame(rows)


def dependence_by_mineral(results: Mapping[str, Result]) -> pd.DataFrame:
    """Long table for the overlaid chart: scenario, mineral_id, mineral, case ('today'/'plan'), dependence_pct."""
    frames = []
    for label, r in results.items():
        if r.by_mineral.empty:
            continue
        cols = ["dependence_before_pct"] + (["dependence_after_pct"] if "dependence_after_pct" in r.by_mineral else [])
        long = r.by_mineral.melt(id_vars=["mineral_id", "mineral"], value_vars=cols, var_name="case",
                                 value_name="dependence_pct")
        long["case"] = long.case.map({"dependence_before_pct": "today", "dependence_after_pct": "plan"})
        frames.append(long.assign(scenario=label))
    cols = ["scenario", "mineral_id", "mineral", "case", "dependence_pct"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols].dropna(subset=["dependence_pct"]).reset_index(drop=True)


def by_mineral_side_by_side(results: Mapping[str, Result]) -> pd.DataFrame:
    """Rows: minerals; 'today (%)' (per scenario if the scenarios see today differently) and each
    scenario's planned dependence (%)."""
    long = dependence_by_mineral(results)
    if long.empty:
        return pd.DataFrame(columns=["mineral_id", "mineral"])
    wide = long.pivot_table(index=["mineral_id", "mineral"], columns=["case", "scenario"], values="dependence_pct",
                            aggfunc="mean")
    out = pd.DataFrame(index=wide.index)
    today = wide["today"] if "today" in wide.columns.get_level_values(0) else pd.DataFrame(index=wide.index)
    if today.shape[1] and today.nunique(axis=1, dropna=True).le(1).all():
        out["Today (%)"] = today.bfill(axis=1).iloc[:, 0]
    else:
        for label in today.columns:
            out[f"Today, {label} (%)"] = today[label]
    plan = wide["plan"] if "plan" in wide.columns.get_level_values(0) else pd.DataFrame(index=wide.index)
    for label in results:
        out[label] = plan[label] if label in plan.columns else float("nan")
    return out.reset_index()


def builds_side_by_side(results: Mapping[str, Result]) -> pd.DataFrame:
    """Rows: every project built in any scenario; a column per scenario with its build_pct (0 = not built)."""
    frames = [r.builds[["project_id", "project", "mineral_id", "build_pct"]].assign(scenario=label)
              for label, r in results.items() if r.ok and not r.builds.empty]
    if not frames:
        return pd.DataFrame(columns=["project_id", "project", "mineral_id", *results, "differs"])
    long = pd.concat(frames, ignore_index=True)
    wide = long.pivot_table(index=["project_id", "project", "mineral_id"], columns="scenario", values="build_pct",
                            aggfunc="sum", fill_value=0.0)
    wide = wide.reindex(columns=list(results), fill_value=0.0)
    wide["differs"] = (wide.max(axis=1) - wide.min(axis=1)) > 0.5
    wide.columns.name = None
    return wide.reset_index().sort_values(["mineral_id", "project"]).reset_index(drop=True)


def financing_side_by_side(results: Mapping[str, Result]) -> pd.DataFrame:
    """Rows: financiers; a column per scenario with the M USD it lends in the plan."""
    frames = [r.financing[["financier_id", "financier", "amount_musd"]].assign(scenario=label)
              for label, r in results.items() if r.ok and not r.financing.empty]
    if not frames:
        return pd.DataFrame(columns=["financier_id", "financier", *results])
    long = pd.concat(frames, ignore_index=True)
    wide = long.pivot_table(index=["financier_id", "financier"], columns="scenario", values="amount_musd",
                            aggfunc="sum", fill_value=0.0).reindex(columns=list(results), fill_value=0.0)
    wide.columns.name = None
    return wide.reset_index()


# ----------------------------------------------------------------------------- the whole comparison

@dataclass(frozen=True)
class Comparison:
    scenarios: dict[str, Scenario]
    results: dict[str, Result]
    inputs: pd.DataFrame           # raw values, one column per scenario, 'differs'
    summary: pd.DataFrame          # one row per scenario
    headline: pd.DataFrame         # measures x scenarios
    by_mineral: pd.DataFrame       # long: scenario, mineral, case, dependence_pct
    by_mineral_wide: pd.DataFrame  # minerals x scenarios
    builds: pd.DataFrame           # projects x scenarios (build_pct)
    financing: pd.DataFrame        # financiers x scenarios (M USD)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the comparison, by sheet / file name."""
        return {"results": self.headline, "inputs": self.inputs, "summary": self.summary,
                "dependence_by_mineral": self.by_mineral_wide, "projects_built_pct": self.builds,
                "financing_musd": self.financing}


def compare(scenarios: Mapping[str, Scenario], solve: Callable[..., Result], *,
            seconds: float | None = None) -> Comparison:
    """Solve each scenario (with `solve`, e.g. a cached model.run) and lay the results side by side.

    `seconds`: the work budget of the whole comparison; each scenario is then solved with
    solve(s, seconds=share), its share of the budget (bounded.solve_within's signature), so four
    whole-project links cannot keep the server busy for more than about `seconds`."""
    _check(scenarios)
    scenarios = dict(scenarios)
    if seconds is None:
        results = {label: solve(s) for label, s in scenarios.items()}
    else:
        share = max(0.5, seconds / len(scenarios) - bounded.FALLBACK_SECONDS)
        results = {label: solve(s, seconds=min(share, bounded.SOLVE_SECONDS)) for label, s in scenarios.items()}
    return Comparison(scenarios, results, inputs_side_by_side(scenarios), summary(results),
                      results_side_by_side(results), dependence_by_mineral(results),
                      by_mineral_side_by_side(results), builds_side_by_side(results), financing_side_by_side(results))


def to_excel(c: Comparison, sources: pd.DataFrame | None = None) -> bytes:
    """The comparison as an .xlsx: results, inputs, per-mineral dependence, builds, financing (and sources)."""
    about = pd.DataFrame({"scenario": list(c.scenarios), "link_query": [
        "&".join(f"{k}={v}" for k, v in encode(s).items()) for s in c.scenarios.values()]})
    tables = {**c.tables(), "scenario_links": about}
    if sources is not None:
        tables["sources"] = sources
    return exports.tables_workbook(tables)


def to_csv(c: Comparison) -> bytes:
    """One tidy CSV of the whole comparison: section, item, unit, scenario, value."""
    parts = []
    inputs = c.inputs.melt(id_vars=["field", "input", "unit", "url_key", "differs"], value_vars=list(c.scenarios),
                           var_name="scenario", value_name="value")
    parts.append(inputs.assign(section="inputs", item=inputs.input)[["section", "item", "unit", "scenario", "value"]])
    res = c.headline.melt(id_vars=["key", "measure", "unit"], value_vars=list(c.scenarios), var_name="scenario",
                          value_name="value")
    parts.append(res.assign(section="results", item=res.measure)[["section", "item", "unit", "scenario", "value"]])
    bym = c.by_mineral
    parts.append(pd.DataFrame({"section": "dependence_" + bym.case.astype(str), "item": bym.mineral, "unit": "%",
                               "scenario": bym.scenario, "value": bym.dependence_pct}))
    if not c.builds.empty:
        b = c.builds.melt(id_vars=["project_id", "project", "mineral_id", "differs"], value_vars=list(c.scenarios),
                          var_name="scenario", value_name="value")
        parts.append(pd.DataFrame({"section": "build", "item": b.project, "unit": "%", "scenario": b.scenario,
                                   "value": b.value}))
    if not c.financing.empty:
        f = c.financing.melt(id_vars=["financier_id", "financier"], value_vars=list(c.scenarios),
                             var_name="scenario", value_name="value")
        parts.append(pd.DataFrame({"section": "financing", "item": f.financier, "unit": "M USD",
                                   "scenario": f.scenario, "value": f.value}))
    frames = [p.astype({"value": object}) for p in parts if not p.empty]
    return exports.to_csv(pd.concat(frames, ignore_index=True))


