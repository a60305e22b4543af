"""The Methodology page's content: the scenario inputs, the data dictionary, the formulation
and the assumptions."""
from __future__ import annotations

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


FORMULATION: tuple[tuple[str, str, str], ...] = (
    ("The question",
     "For one steady-state target year, choose how much each partner financier lends to each Kazakh project, how "
     "much of each project's new capacity is built, and where every tonne of output is processed and by which "
     "corridor it travels, so that the share of Kazakh critical-mineral output processed in China is as small "
     "as possible.",
     r"\min_{f,\,u,\,q}\; D(q) \quad\text{subject to the constraints below}"),
    ("Dependence index",
     "Output is weighted by value and criticality: a tonne of a mineral counts its price times its criticality "
     "weight. A route processed in China counts fully; a route processed in or passing through Russia counts "
     "with the Russia weight (a slider, 0 by default); every other route counts zero.",
     r"D = \frac{\sum_{p,r} a_p\,\pi_r\,q_{pr}}{\sum_{p,r} a_p\,q_{pr}},\qquad a_p = P_{m(p)}\,w_{m(p)},\qquad "
     r"\pi_r = \begin{cases}1 & r \text{ processed in China}\\ \rho & r \text{ in or through Russia}\\ 0 & "
     r"\text{otherwise}\end{cases}"),
    ("Financing covers what is built",
     "A project's new capacity is built to a level u between 0 and 1; its remaining capital must be covered by "
     "partner financing. Each financier has a budget and a cap per project, and lends only to projects whose "
     "owner origin it accepts.",
     r"c_p\,u_p \le \sum_k f_{pk},\qquad \sum_p f_{pk} \le B_k,\qquad 0 \le f_{pk} \le E_k,\qquad "
     r"f_{pk} = 0 \text{ if } o(p) \in X_k"),
    ("Output goes somewhere",
     "Today's output plus what is built is all shipped along some route (destination x corridor). New capacity "
     "counts only if its lead time lets it produce by the target year.",
     r"\sum_r q_{pr} = y_p + n_p\,u_p,\qquad u_p \in [0,1]\;(\{0,1\}\text{ in whole-project mode}),\qquad "
     r"u_p = 0 \text{ if } 2026 + \lceil L_p \rceil > T"),
    ("Contracts lock in part of today's Chinese offtake",
     "A share lambda (a slider) of each project's current flow to China cannot move before the target year.",
     r"\sum_{r \to \text{China}} q_{pr} \ge \lambda\, y_p\, s^{\text{CN}}_p"),
    ("Processing and corridor capacity",
     "Processing outside China is limited per destination and mineral; each corridor carries at most its "
     "capacity of physical cargo (tonnes of the unit times the cargo factor).",
     r"\sum_{p:\,m(p)=m}\;\sum_{r \to d} q_{pr} \le K_{dm}\;\; (d \ne \text{China}),\qquad "
     r"\sum_p \sum_{r \text{ via } c} \kappa_{m(p)}\, q_{pr} / 1000 \le C_c"),
    ("Allied offtake",
     "Allied buyers take at most today's allied purchases plus the new offtake commitments, valued at the "
     "minerals' prices.",
     r"\sum_p \sum_{r \to \text{allied}} P_{m(p)}\, q_{pr} / 10^6 \le O_0 + O"),
    ("Solving the ratio exactly",
     "D is a ratio of two linear functions. With partial builds (an LP) it is minimised exactly by the "
     "Charnes-Cooper transformation; with whole projects (a MILP) by Dinkelbach's iterations. Among the plans "
     "that reach the optimal D, the one with the least financing (then the least transport cost) is reported.",
     r"\text{LP: } y = t\,x,\; t \ge 0,\; \min \textstyle\sum a\pi y \;\text{s.t.}\; A y \le b\,t,\; "
     r"\textstyle\sum a\, y = 1 \qquad \text{MILP: } \lambda_{k+1} = \frac{N(x_k)}{D(x_k)},\; "
     r"x_k = \arg\min_x N(x) - \lambda_k D(x)"),
    ("Other objectives",
     "Maximise secure supply: the value-weighted tonnes reaching allied processors by routes that avoid China "
     "(and Russia, by its weight). Least financing: the smallest total financing that brings D to a target "
     "(an epsilon-constraint, which also traces the trade-off frontier).",
     r"\max \sum_{p,\,r \to \text{allied}} a_p (1-\pi_r)\, q_{pr} \qquad\text{or}\qquad "
     r"\min \sum_{p,k} f_{pk} \;\text{s.t.}\; D(q) \le D^{\text{target}}"),
    ("Shadow prices",
     "How much D moves per unit of each limit (one more 100 M USD, one more kt of corridor): the duals of the LP "
     "min N - D* Dn at the optimum D*, divided by Dn (envelope theorem). In whole-project mode, of that LP with "
     "the build decisions fixed.",
     r"\frac{\partial D^*}{\partial b_i} = \frac{\partial F/\partial b_i}{Dn(x^*)},\qquad "
     r"F(b) = \min_x N(x) - D^*\,Dn(x)"),
)

SYMBOLS: tuple[tuple[str, str], ...] = (
    (r"q_{pr}", "t/yr of project p's output sent along route r"),
    (r"f_{pk}", "M USD lent by partner financier k to project p"),
    (r"u_p", "share of project p's new capacity built"),
    (r"y_p,\; n_p",
     "project p's current output and new capacity, t/yr (projects.output_tpy, capacity_tpy - output_tpy)"),
    (r"c_p,\; L_p", "capital still needed (M USD) and lead time (years) of project p"),
    (r"P_m,\; w_m,\; \kappa_m", "price (USD/t), criticality weight (1-5) and cargo factor (t/t) of mineral m"),
    (r"B_k,\; E_k,\; X_k", "budget, per-project cap (M USD) and excluded owner origins of financier k"),
    (r"K_{dm},\; C_c", "processing capacity (t/yr) and corridor capacity (kt cargo/yr)"),
    (r"\lambda,\; \rho,\; T,\; O", "lock-in share, Russia weight, target year, new allied offtake (M USD/yr): sliders"),
    (r"s^{\text{CN}}_p,\; O_0",
     "project p's share of output going to China today; today's allied purchases (M USD/yr)"),
)

ASSUMPTIONS: tuple[tuple[str, str], ...] = (
    ("One steady-state year",
     "The model looks at one target year (a slider). New capacity produces in 2026 + lead time, rounded up to a "
     "whole year; a project whose new capacity cannot produce by the target year cannot be built in the plan."),
    ("Today's flows",
     "Today's flow of each project = current output x its offtake share per destination x each route's share of "
     "today's traffic to that destination (routes.status_quo_share_pct)."),
    ("Only China is an unbounded processing sink",
     "China can process any amount of Kazakh output. Allied and domestic processing are limited to the capacities "
     "in processing_capacity.csv (with no stated figure: today's flow), allied capacity then scaled by the "
     "allied-capacity slider."),
    ("Stated capacities below today's flows are lifted to today's flows",
     "Today's flow proves that at least that much capacity exists, so a stated processing or corridor capacity "
     "below it is replaced by today's flow, and the page says so in a note. This happens before any slider "
     "scaling."),
    ("Russian processing capped at today's flow",
     "Russia's processing open to Kazakh feed is its stated capacity if one is given, otherwise today's flow: "
     "the model never sends Russia more than it takes today (no new Russian demand)."),
    ("Corridor capacities",
     "The Middle Corridor's capacity is the slider's value; the northern route through Russia is its stated "
     "capacity times the Russian-transit slider; Chinese border crossings are as stated. Cargo is the mineral "
     "tonnage times its cargo factor (concentrate weighs more than metal)."),
    ("Partners finance all remaining capital",
     "A project's new capacity is built only as far as partner financing covers its remaining capital "
     "(projects.capex_musd). Status-quo lenders (Chinese policy banks) are shown, not optimised."),
    ("Eligibility",
     "Each financier funds only projects whose owner origin is not in its excluded list (by default US, "
     "Japanese and European financiers do not fund Chinese- or Russian-controlled projects)."),
    ("Contract lock-in",
     "A share of each project's current flow to China (a slider) is under contract and stays in China in the "
     "target year."),
    ("Allied offtake is a value limit",
     "Allied buyers take at most today's allied purchases plus the new commitments (M USD/yr), valued at "
     "minerals.price_usd_per_t; prices do not respond to the plan."),
    ("What dependence weighs",
     "Minerals are weighed by price x criticality weight (minerals.criticality_weight, 1-5, with its basis). "
     "Processing in Kazakhstan counts as not dependent. Routes through Russia count by the Russia weight."),
    ("Ties",
     "Among plans with the same optimal objective, the one with the least financing is reported, then the "
     "least transport cost."),
    ("World shares are derived from the agencies' tables",
     "World production and reserves are stored as the agencies print them (USGS Mineral Commodity Summaries 2026 "
     "world tables, the World Nuclear Association's uranium table; data/world_production.csv). A country's share "
     "is its row divided by the world total: the printed total, or the sum of the printed rows where that is "
     "larger (rounding, or a total printed as a lower bound such as '>1,200,000'). 'Other' is the rest: 100 % "
     "minus the named countries. Shares that only the IEA or the Euratom Supply Agency print as percentages "
     "(processing of rare earths, lithium, cobalt, nickel; uranium conversion and enrichment) are used where no "
     "USGS table covers the stage, with their own (older) year."),
    ("Concentration (HHI)",
     "HHI = sum of squared country shares in percent (0-10,000), per mineral and stage, latest year. The 'Other' "
     "row is not a country and is left out, so the HHI shown is a lower bound; the upper bound assumes each "
     "country inside 'Other' is at most as large as the smallest listed producer. Bands: below 1,000 "
     "unconcentrated, 1,000-1,800 moderately, above 1,800 highly concentrated (US merger guidelines)."),
    ("China's share where China is not listed",
     "If a source lists no row for China at a stage, China's share is shown as 0 and marked as not listed: it "
     "is then within the 'Other' share."),
    ("Estimates are flagged",
     "Every row whose figure is not a published number has is_estimate = true and an estimate_basis saying how "
     "it was derived; the Projects page shows it beside the figure."),
    ("Disruption probabilities are illustrative",
     "The Risk page's default probabilities and severities (e.g. a Chinese export ban 20 % a year, losing all "
     "allied cargo that transits China) are Heartland's illustrative assumptions: no public source gives annual "
     "probabilities for these events. They are sliders so users can set their own view."),
)
