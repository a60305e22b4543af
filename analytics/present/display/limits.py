"""The model's limits in a reader's words and language, and "what binds" as sentences a reader can use:
limits of one kind grouped into one sentence with their total effect, ranked by effect.

The model's what_binds table (analytics.model.levers.what_binds: constraint, group, label, step, unit,
change_pts, limit, sentence) stays language-neutral and cached; the words are made here when shown,
from the structured row names ('keep[u-ortalyk,china]', 'budget[exim-envelope]').

>>> import pandas as pd
>>> rows = pd.DataFrame({"constraint": ["keep[a,china]", "keep[b,china]"], "group": ["keep", "keep"],
...                      "step": [100.0, 50.0], "unit": ["t/yr", "t/yr"], "change_pts": [-0.1, -0.05]})
>>> print(sentences(rows, Names(projects={"a": "Alpha LLP (Site)", "b": "Beta JV"}))[0].text.replace("\\xa0", " "))
Releasing 150 t/yr held by contracts and owners' offtake to China at 2 projects (Alpha LLP, Beta JV) would lower dependence by about 0.15 points in all.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analytics.present.display import formats
from analytics.present.display.names import CORRIDORS, DESTINATIONS, data_name, short
from analytics.present.i18n import N_, _, current, fill

INSTRUMENTS = {"loi": N_("letter of interest"), "loan": N_("loan"), "equity": N_("equity"),
               "guarantee": N_("guarantee"), "grant": N_("grant")}
SHOWN = 3  # sentences shown first; the rest on demand
# groups whose rows of one kind (same destination, or same financier) make one sentence
GROUPED = {"keep", "processing", "exposure"}


@dataclass(frozen=True)
class Names:
    """The data's names by id (projects, minerals, financiers, commitments: id -> (financier, instrument,
    project ids)), in the data's own language; data_name translates the ones the catalogue has."""

    projects: Mapping[str, str] = field(default_factory=dict)
    minerals: Mapping[str, str] = field(default_factory=dict)
    financiers: Mapping[str, str] = field(default_factory=dict)
    commitments: Mapping[str, tuple[str, str, tuple[str, ...]]] = field(default_factory=dict)
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)  # lang -> row name -> words

    @classmethod
    def of(cls, data) -> Names:
        """From model data (analytics.model.ModelData): its projects, minerals, financiers, commitments."""
        c = data.commitments
        return cls(dict(zip(data.projects.project_id, data.projects.name)),
                   dict(zip(data.minerals.mineral_id, data.minerals.name)),
                   dict(zip(data.financiers.financier_id, data.financiers.name)),
                   {r.commitment_id: (r.financier_id, str(getattr(r, "instrument", "") or "").lower(),
                                      tuple(p.strip() for p in str(r.project_id or "").split(";")
                                            if p.strip() and p.strip() != "nan"))
                    for r in c.itertuples()})

    def project(self, pid: str) -> str:
        return short(self.projects.get(pid, pid))

    def mineral(self, mid: str) -> str:
        return data_name(self.minerals.get(mid, mid))

    def financier(self, fid: str) -> str:
        return data_name(self.financiers.get(fid, fid))


def parts(name: str) -> tuple[str, list[str]]:
    """'keep[u-ortalyk,china]' -> ('keep', ['u-ortalyk', 'china'])."""
    group, _sep, rest = str(name).partition("[")
    return group, [a.strip() for a in rest.rstrip("]").split(",")] if rest else []


def _destination(d: str) -> str:
    return _(DESTINATIONS.get(d, d))


def label(name: str, names: Names) -> str:
    """One limit row in words: 'US EXIM general envelope', 'Middle Corridor capacity'."""
    group, args = parts(name)
    if group == "budget" and args:
        cid = args[0]
        if cid.endswith("-envelope"):
            return fill(N_("{financier} general envelope"), financier=names.financier(cid.removesuffix("-envelope")))
        fid, instrument, projects = names.commitments.get(cid, (cid, "", ()))
        what = _(INSTRUMENTS.get(instrument, N_("commitment")))
        if projects:
            return fill(N_("{financier} {instrument} for {projects}"), financier=names.financier(fid), instrument=what,
                        projects=", ".join(names.project(p) for p in projects))
        return fill(N_("{financier} {instrument}"), financier=names.financier(fid), instrument=what)
    if group == "corridor" and args:
        return fill(N_("{corridor} capacity"), corridor=_(CORRIDORS.get(args[0], args[0])))
    if group == "processing" and len(args) == 2:
        return fill(N_("{destination} processing capacity for {mineral}"), destination=_destination(args[0]),
                    mineral=names.mineral(args[1]).lower())
    if group in ("offtake", "money") or name == "money":
        return _("Allied offtake money")
    if group == "keep" and len(args) == 2:
        return fill(N_("contracts and owners' offtake at {project} (to {destination})"),
                    project=names.project(args[0]), destination=_destination(args[1]))
    if group == "exposure" and len(args) == 2:
        return fill(N_("{financier}'s limit per project at {project}"), financier=names.financier(args[1]),
                    project=names.project(args[0]))
    if group == "capex" and args:
        return fill(N_("capital for {project}"), project=names.project(args[0]))
    return name


def labels(constraints: pd.DataFrame, names: Names) -> pd.Series:
    """The `label` column of a limits table, in the reader's language (each row's words remembered per
    language in `names`: a session's limits keep their names from one rerun to the next)."""
    lang = current()
    memo = names.memo.setdefault(lang, {})
    out = []
    for n in constraints["constraint"].tolist():
        if n not in memo:
            memo[n] = label(n, names)
        out.append(memo[n])
    return pd.Series(out, index=constraints.index, dtype=object)


@dataclass(frozen=True)
class Sentence:
    text: str
    change_pts: float  # the effect, summed over the limits the sentence groups
    limits: int


def _change(change_pts: float, *, grouped: bool) -> tuple[str, str]:
    lower = change_pts < 0
    amount = formats.number(abs(change_pts), 2)
    if grouped:
        return (_("lower") if lower else _("raise")), fill(N_("about {amount} points in all"), amount=amount)
    return (_("lower") if lower else _("raise")), fill(N_("{amount} points"), amount=amount)


def _one(row, names: Names) -> Sentence:
    verb, amount = _change(row.change_pts, grouped=False)
    step = formats.quantity(row.step, row.unit)
    if row.group == "keep":
        text = fill(N_("Releasing {step} held by {limit} would {verb} dependence by {amount}."), step=step,
                    limit=label(row.constraint, names), verb=verb, amount=amount)
    else:
        text = fill(N_("One more {step} of {limit} would {verb} dependence by {amount}."), step=step,
                    limit=label(row.constraint, names), verb=verb, amount=amount)
    return Sentence(text, float(row.change_pts), 1)


def _many(rows: pd.DataFrame, names: Names) -> Sentence:
    total = float(rows.change_pts.sum())
    verb, amount = _change(total, grouped=True)
    unit = rows.unit.iloc[0]
    steps = formats.quantity(float(rows.step.sum()), unit)
    group, args = parts(rows.constraint.iloc[0])
    args_of = [parts(c)[1] for c in rows.constraint]
    if group == "keep":
        projects = ", ".join(names.project(a[0]) for a in args_of)
        text = fill(N_("Releasing {steps} held by contracts and owners' offtake to {destination} at {n} projects "
                       "({projects}) would {verb} dependence by {amount}."),
                    steps=steps, destination=_destination(args[1]), n=str(len(rows)), projects=projects, verb=verb,
                    amount=amount)
    elif group == "processing":
        minerals = ", ".join(names.mineral(a[1]).lower() for a in args_of)
        text = fill(N_("One more {step} each of {destination} processing capacity for {minerals} would {verb} "
                       "dependence by {amount}."),
                    step=formats.quantity(float(rows.step.iloc[0]), unit), destination=_destination(args[0]),
                    minerals=minerals, verb=verb, amount=amount)
    else:  # exposure: one financier's per-project limits
        projects = ", ".join(names.project(a[0]) for a in args_of)
        text = fill(N_("Raising {financier}'s limit per project by {step} at {n} projects ({projects}) would "
                       "{verb} dependence by {amount}."),
                    financier=names.financier(args[1]), step=formats.quantity(float(rows.step.iloc[0]), unit),
                    n=str(len(rows)), projects=projects, verb=verb, amount=amount)
    return Sentence(text, total, len(rows))


def _kind(constraint: str) -> tuple[str, str]:
    """Rows of one kind share this: (group, the destination or financier that they share)."""
    group, args = parts(constraint)
    if group == "keep" and len(args) == 2:
        return group, args[1]
    if group == "processing" and len(args) == 2:
        return group, args[0]
    if group == "exposure" and len(args) == 2:
        return group, args[1]
    return group, constraint  # one sentence each


def sentences(what_binds: pd.DataFrame, names: Names) -> list[Sentence]:
    """One sentence per kind of limit (all the contracts holding output for China, say), with the
    summed effect of relaxing each by its step, largest effect first. The sum is of separate re-solves:
    'about', since relaxing all at once may interact."""
    if what_binds is None or what_binds.empty:
        return []
    df = what_binds.assign(_kind=[_kind(c) for c in what_binds.constraint],
                           _sign=what_binds.change_pts < 0)
    out = []
    for (_k, _s), rows in df.groupby(["_kind", "_sign"], sort=False):
        out.append(_one(rows.iloc[0], names) if len(rows) == 1 or rows.group.iloc[0] not in GROUPED
                   else _many(rows, names))
    return sorted(out, key=lambda s: -abs(s.change_pts))


def financing_rows(financing: pd.DataFrame, names: Names) -> pd.DataFrame:
    """The plan's financing as a reader reads it: one row per project, financier and kind of money
    (a letter of interest or loan for the project, or the financier's general envelope), largest first."""
    if financing.empty:
        return pd.DataFrame(columns=["project", "financier", "through", "amount_musd"])

    def through(cid: str) -> str:
        if str(cid).endswith("-envelope"):
            return _("general envelope")
        return _(INSTRUMENTS.get(names.commitments.get(cid, ("", "", ()))[1], N_("commitment")))

    sums: dict[tuple[str, str, str], float] = {}  # a handful of rows: plain Python beats a groupby here
    for p, f, c, a in zip(financing.project.tolist(), financing.financier.tolist(), financing.commitment_id.tolist(),
                          financing.amount_musd.tolist()):
        k = (short(p), f, through(c))
        sums[k] = sums.get(k, 0.0) + a
    rows = sorted(((*k, a) for k, a in sums.items()), key=lambda r: -r[3])
    return pd.DataFrame(rows, columns=["project", "financier", "through", "amount_musd"])


__all__ = ["Names", "SHOWN", "Sentence", "financing_rows", "label", "labels", "parts", "sentences"]
