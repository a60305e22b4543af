"""`python -m heartland`: solve a scenario or sweep many, from a terminal or a script.

The scenario comes from the same Scenario and link codec as the app: a share link (whole address or
just its query), a saved link (?s=ID, from the configured store), a preset's id, or nothing (the
defaults), then any input flags on top. Input flags are generated from Scenario's FIELDS: one per input,
named by its link key (--exim) and its field name (--budget-exim-musd).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from analytics.cli.report import headline, link_query, print_headline, print_sweep, progress_bar, write_tables
from analytics.model.presets import PRESETS
from analytics.model.scenario import DEFAULTS, FIELD_BY_NAME, FIELDS, URL_VERSION, Field, Scenario, decode

EXIT_OK, EXIT_NO_PLAN, EXIT_USAGE = 0, 1, 2
FORMATS = ("csv", "xlsx", "parquet")


class UsageError(Exception):
    """A bad argument: the message says which and what is allowed."""


# ----------------------------------------------------------------------------- the scenario

def _flag(f: Field) -> str:
    return "--" + f.name.replace("_", "-")


def _range_text(f: Field) -> str:
    if f.choices:
        return "one of " + ", ".join(f.choices)
    if f.pattern:
        return "'all' or a mineral id, e.g. tungsten"
    return f"{f.lo:g} to {f.hi:g}" + (f" {f.unit}" if f.unit and f.unit != "year" else "")


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default=None, metavar="LINK_OR_PRESET",
                        help="a share link (https://.../explorer?v=2&exim=1500, or just v=2&exim=1500), a saved "
                             "link or id (?s=ID), or a preset id (see below); omitted: the defaults")
    group = parser.add_argument_group("scenario inputs (each overrides the link or preset)")
    for f in FIELDS:
        default = getattr(DEFAULTS, f.name)
        shown = f"{default:g}" if isinstance(default, float) else str(default)
        group.add_argument(f"--{f.key}", _flag(f), dest=f"in_{f.name}", metavar="CHOICE" if f.choices else "X",
                           help=f"{f.label}: {_range_text(f)}; default {shown}".replace("%", "%%"))


def resolve_scenario(text: str | None, overrides: dict[str, str]) -> tuple[Scenario, tuple[str, ...]]:
    """(Scenario, notices) from a link / saved id / preset id and input overrides (field name -> text).
    Raises UsageError for text that holds no scenario, or an override that is not a valid value."""
    from analytics.analyses.compare import parse_link

    notices: tuple[str, ...] = ()
    if text is None or not text.strip():
        scenario = DEFAULTS
    elif text.strip() in PRESETS:
        scenario = PRESETS[text.strip()].scenario
    else:
        _, found, notices = parse_link(text)
        if found is None:
            raise UsageError(" ".join(notices) + f" Presets: {', '.join(PRESETS)}.")
        scenario = found
    changes = {}
    by_name = {f.name: f for f in FIELDS}
    for name, raw in overrides.items():
        f = by_name[name]
        decoded = decode({"v": str(URL_VERSION), f.key: raw})
        if decoded.notices:
            raise UsageError(f"--{f.key} {raw!r} is not a valid {f.label}: give {_range_text(f)}.")
        changes[name] = getattr(decoded.scenario, name)
    try:
        return scenario.replace(**changes), notices
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _scenario_from_args(args: argparse.Namespace) -> tuple[Scenario, tuple[str, ...]]:
    overrides = {f.name: getattr(args, f"in_{f.name}") for f in FIELDS if getattr(args, f"in_{f.name}") is not None}
    return resolve_scenario(args.scenario, overrides)


# ----------------------------------------------------------------------------- solve

def cmd_solve(args: argparse.Namespace) -> int:
    from analytics import model

    scenario, notices = _scenario_from_args(args)
    for n in notices:
        print(f"warning: {n}", file=sys.stderr)
    data = model.load_model_data()
    result = model.run(data, scenario)
    if args.json:
        print(json.dumps(headline(result), indent=2))
    else:
        print_headline(result, data=data)
    if args.out is not None:
        fmt = args.format or "csv"
        for path in write_tables(result, Path(args.out), fmt):
            print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_NO_PLAN


def cmd_brief(args: argparse.Namespace) -> int:
    """The one-page PDF brief of a scenario, as the explorer's download makes it."""
    from analytics import model
    from analytics.data import store
    from analytics.present import brief
    from analytics.present.brief.reader import brief_in

    scenario, notices = _scenario_from_args(args)
    for n in notices:
        print(f"warning: {n}", file=sys.stderr)
    data = model.load_model_data()
    result = model.run(data, scenario)
    query = link_query(scenario).removeprefix("(the defaults)")
    link = args.url + (("?" + query) if query else "")
    waterfall = model.waterfall(data, scenario)
    binding = model.what_binds(data, result, max_rows=8) if result.ok else None
    if args.lang != "en":  # the link opens the app in the brief's language
        link += ("&" if "?" in link else "?") + f"lang={args.lang}"
    pdf = brief_in(args.lang, result, data=data, link=link, waterfall=waterfall, what_binds=binding,
                   sources=brief.plan_sources(data, result, store.table("sources")), data_version=store.data_version())
    out = Path(args.out)
    out.write_bytes(pdf)
    print_headline(result, data=data)
    print(f"wrote {out} ({len(pdf) / 1024:.0f} kB)", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_NO_PLAN


# ----------------------------------------------------------------------------- sweep

def cmd_sweep(args: argparse.Namespace) -> int:
    from analytics import model
    from analytics.sweep import design, files, indices, solve

    base, notices = _scenario_from_args(args)
    for n in notices:
        print(f"warning: {n}", file=sys.stderr)
    try:
        rs = design.ranges(args.input) if args.input else design.default_ranges()
        d = design.sample(rs, args.n, method=args.method, seed=args.seed, base=base)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.workers < 1 or (args.chunk is not None and args.chunk < 1):
        raise UsageError("--workers and --chunk must be at least 1")
    where = f"the Dask scheduler at {args.scheduler}" if args.scheduler else f"a local Dask cluster of {args.workers} worker{'s' if args.workers != 1 else ''}"
    print(f"Sweeping {len(d.table):,} scenarios ({args.method}, {d.n_base:,} base samples, seed {args.seed}) over "
          f"{', '.join(r.field.key for r in rs)} on {where}; the rest as in {link_query(base)}.", file=sys.stderr)
    if d.note:
        print(f"note: {d.note}", file=sys.stderr)
    bar = progress_bar(len(d.table), enabled=not args.no_progress)
    try:
        sweep = solve.run_dask(model.load_model_data(), d, scheduler=args.scheduler, workers=args.workers,
                               chunk=args.chunk, progress=bar.update_to)
    finally:
        bar.close()
    ix = indices.sobol(d, sweep.results, seed=args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    files.write(sweep, out, ix)
    ix_path = out.with_suffix(".indices.csv")
    ix.table.to_csv(ix_path, index=False)
    print_sweep(sweep, ix)
    print(f"wrote {out} and {ix_path}", file=sys.stderr)
    return EXIT_OK


# ----------------------------------------------------------------------------- the parser

def _presets_text() -> str:
    return "presets:\n" + "\n".join(f"  {pid:<26} {p.name}" for pid, p in PRESETS.items())


def _inputs_text() -> str:
    from analytics.sweep import design

    lines = [f"  {f.key:<8} {f.name:<22} {f.label} ({_range_text(f)})" for f in design.sweepable()]
    skipped = "\n".join(f"  ({FIELD_BY_NAME[k].key} is left out unless named: {why})"
                        for k, why in design.NOT_BY_DEFAULT.items() if k in FIELD_BY_NAME)
    return "inputs a sweep can vary (--input KEY or --input KEY=LOW:HIGH):\n" + "\n".join(lines) + "\n" + skipped


def parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    p = argparse.ArgumentParser(
        prog="python -m heartland", formatter_class=fmt,
        description="Heartland from the command line: the optimised plan for a scenario, or a sweep of many "
                    "scenarios with the inputs that drive dependence on China.",
        epilog=textwrap.dedent("""\
            examples:
              python -m heartland solve "https://host/explorer?v=2&exim=1500&offt=2000"
              python -m heartland solve advanced_framework --lois 50 --out results --format xlsx
              python -m heartland brief basic_mou --out brief.pdf
              python -m heartland sweep -n 10000 --input exim --input offt=0:5000 --input lois --out sweep.parquet
              python -m heartland sweep status_quo --scheduler tcp://10.0.0.5:8786 -n 100000

            Run `python -m heartland solve --help` (or brief, sweep) for every option."""))
    sub = p.add_subparsers(dest="command", required=True, metavar="{solve,brief,sweep}")

    s = sub.add_parser("solve", formatter_class=fmt, help="solve one scenario: headline on the terminal, tables to files",
                       description="Solve one scenario (a link, a preset or the defaults, with input flags on top), "
                                   "print the headline and optionally write every result table.",
                       epilog=_presets_text() + "\n\nexit status: 0 a plan was found, 1 no plan (infeasible, or "
                                                "the data cannot be used), 2 a bad argument.")
    add_scenario_arguments(s)
    out = s.add_argument_group("output")
    out.add_argument("--out", metavar="DIR", help="write the result tables into DIR")
    out.add_argument("--format", choices=FORMATS, help="csv (one file per table, the default), xlsx (one workbook, "
                                                       "as the app's download) or parquet (one file per table)")
    out.add_argument("--json", action="store_true", help="print the headline as JSON (full precision) instead of text")
    s.set_defaults(run=cmd_solve)

    b = sub.add_parser("brief", formatter_class=fmt, help="the scenario's one-page PDF brief",
                       description="Solve one scenario and write its one-page PDF brief: the headline, what each "
                                   "lever buys, where each mineral is processed, the largest financing, what binds, "
                                   "the share link and the sources.",
                       epilog=_presets_text())
    add_scenario_arguments(b)
    b.add_argument("--out", default="heartland-brief.pdf", metavar="PATH",
                   help="the PDF to write (default heartland-brief.pdf)")
    b.add_argument("--url", default=os.environ.get("HEARTLAND_PUBLIC_URL", "http://localhost:8501") + "/explorer",
                   metavar="ADDRESS", help="the app's explorer address the share link starts with (default "
                                           "$HEARTLAND_PUBLIC_URL/explorer, else http://localhost:8501/explorer)")
    b.add_argument("--lang", choices=("en", "ru"), default="en",
                   help="the brief's language: en (default) or ru; its link opens the app in that language too")
    b.set_defaults(run=cmd_brief)

    w = sub.add_parser("sweep", formatter_class=fmt, help="sample and solve many scenarios on Dask; Sobol' indices",
                       description="Sample scenarios around a base scenario (Sobol' or Latin hypercube over the "
                                   "inputs you name), solve them on Dask, write one Parquet file of inputs and "
                                   "results and print which inputs drive dependence (Sobol' first-order and total "
                                   "indices with 95 % confidence intervals; also written beside the file as CSV).".replace("%", "%%"),
                       epilog=_inputs_text() + "\n\n" + _presets_text())
    add_scenario_arguments(w)
    g = w.add_argument_group("the sweep")
    g.add_argument("-i", "--input", action="append", metavar="KEY[=LOW:HIGH]",
                   help="an input to vary, over its slider's range or LOW:HIGH (repeat for more); default: every "
                        "input listed below except those left out")
    g.add_argument("-n", type=int, default=1024, metavar="N",
                   help="scenarios to solve (default 1024); a Sobol' design uses N // (inputs + 2) base samples")
    g.add_argument("--method", choices=("sobol", "lhs"), default="sobol",
                   help="sobol: Saltelli's design, first-order and total indices (default); lhs: Latin hypercube, "
                        "first-order indices only")
    g.add_argument("--seed", type=int, default=0, help="the sample's seed (default 0): same seed, same scenarios")
    g.add_argument("--out", default="heartland-sweep.parquet", metavar="PATH",
                   help="the Parquet file to write (default heartland-sweep.parquet)")
    d = w.add_argument_group("where it runs")
    d.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler (tcp://host:8786); default: a "
                                                          "local cluster")
    d.add_argument("--workers", type=int, default=2, help="workers of the local cluster (default 2, one process each)")
    d.add_argument("--chunk", type=int, default=None, help="scenarios per Dask task (default: about 20 tasks a worker)")
    d.add_argument("--no-progress", action="store_true", help="no progress bar")
    w.set_defaults(run=cmd_sweep)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status. No traceback reaches the terminal for a bad
    argument, a store or file that cannot be used: the message says what went wrong."""
    log = logging.getLogger("analytics")  # our warnings on the terminal; Dask keeps its own (quiet) handler
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.WARNING)
    p = parser()
    args = p.parse_args(argv)
    from analytics.data import saved, store

    try:
        return args.run(args)
    except UsageError as exc:
        p.exit(EXIT_USAGE, f"{p.prog} {args.command}: error: {exc}\n")
    except (saved.StoreUnavailable, store.DataError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_NO_PLAN
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a user sees one line; HEARTLAND_DEBUG=1 shows the traceback
        if os.environ.get("HEARTLAND_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {str(exc)[:300]} (HEARTLAND_DEBUG=1 shows where)",
              file=sys.stderr)
        return EXIT_NO_PLAN
