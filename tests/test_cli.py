"""The command line (`python -m heartland`, analytics/cli): a link pasted into it gives the app's numbers,
inputs come from FIELDS, tables are written in three formats, bad arguments are explained, and sweeps run on
a cluster reached by its address."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import model
from analytics.cli.main import parser, resolve_scenario
from analytics.data import saved
from analytics.model.presets import PRESETS
from analytics.model.scenario import DEFAULTS, FIELDS
from analytics.present import exports
from analytics.sweep import files

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
LINK = "https://heartland.example/explorer?v=2&exim=1500&offt=2000&trw=35&ruw=50&utm_source=mail"


def cli(*args: str, env: dict | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "heartland", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_link_pasted_into_the_command_line_gives_the_apps_numbers(shipped_data):
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in dict(p.split("=") for p in LINK.split("?", 1)[1].split("&")).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception
    page_scenario = at.session_state["scenario"]

    done = cli("solve", LINK, "--json")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    # what the explorer shows, in its own format
    assert _metric(at, "Dependence, plan") == f"{got['dependence_after_pct']:.1f}\xa0%"
    assert _metric(at, "Dependence today") == f"{got['dependence_before_pct']:.1f}\xa0%"
    assert _metric(at, "Without a plan, 2030") == f"{got['dependence_baseline_pct']:.1f}\xa0%"
    assert _metric(at, "Money used") == f"{got['financing_used_musd']:,.0f}\xa0M USD"
    # and exactly: the page's decoded scenario, solved, gives the same figures to the last bit
    r = model.run(shipped_data, page_scenario)
    assert (got["dependence_after_pct"], got["dependence_before_pct"], got["financing_used_musd"]) == (
        r.dependence_after_pct, r.dependence_before_pct, r.financing_used_musd)
    assert got["link_query"] == "v=2&exim=1500&offt=2000&ruw=50&trw=35"  # the codec's order

    text = cli("solve", LINK)  # the headline in the explorer's words
    assert f"Dependence, plan               {_metric(at, 'Dependence, plan')}" in text.stdout
    assert "What binds:" in text.stdout


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_tables_are_written_as_the_app_downloads_them(shipped_data, tmp_path, fmt):
    done = cli("solve", "?v=2&exim=1500", "--out", str(tmp_path), "--format", fmt)
    assert done.returncode == 0, done.stderr
    r = model.run(shipped_data, DEFAULTS.replace(budget_exim_musd=1500.0))
    expected = {"inputs": exports.inputs_table(r.scenario), **exports.result_tables(r)}
    if fmt == "xlsx":
        sheets = pd.read_excel(tmp_path / "heartland-scenario.xlsx", sheet_name=None)
        got = sheets["financing"]
        assert {"financing", "builds", "offtake_flows", "dependence_by_mineral"} <= set(sheets)
    else:
        read = pd.read_csv if fmt == "csv" else pd.read_parquet
        got_all = {name: read(tmp_path / f"heartland-{name.replace('_', '-')}.{fmt}") for name in expected}
        assert got_all["inputs"].field.tolist() == [f.name for f in FIELDS]
        got = got_all["financing"]
        pd.testing.assert_frame_equal(got_all["dependence_by_mineral"].reset_index(drop=True),
                                      expected["dependence_by_mineral"].reset_index(drop=True), check_dtype=False)
    assert got.amount_musd.to_numpy() == pytest.approx(expected["financing"].amount_musd.to_numpy())


def test_every_input_has_a_flag_from_fields_that_sets_it():
    options = {o for a in parser()._subparsers._group_actions[0].choices["solve"]._actions for o in a.option_strings}
    for f in FIELDS:
        assert f"--{f.key}" in options and "--" + f.name.replace("_", "-") in options
        value = next(c for c in f.choices if c != getattr(DEFAULTS, f.name)) if f.choices else (
            "tungsten" if f.pattern else str(int(f.hi) if type(getattr(DEFAULTS, f.name)) is int
                                             else f.lo + (f.hi - f.lo) / 3))
        scenario, _ = resolve_scenario(None, {f.name: value})
        assert scenario == DEFAULTS.replace(**{f.name: type(getattr(DEFAULTS, f.name))(value)})


def test_presets_links_and_saved_ids_name_the_scenario(monkeypatch, tmp_path):
    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path / "saved.duckdb"))
    monkeypatch.delenv("HEARTLAND_DATABASE_URL", raising=False)
    preset = PRESETS["advanced_framework"].scenario
    assert resolve_scenario("advanced_framework", {})[0] == preset
    assert resolve_scenario("advanced_framework", {"transit_weight_pct": "20"})[0] == preset.replace(transit_weight_pct=20.0)
    sid = saved.save(DEFAULTS.replace(transit_weight_pct=15.0), "mine")
    assert resolve_scenario(f"?s={sid}", {})[0].transit_weight_pct == 15.0
    scenario, notices = resolve_scenario("v=2&exim=lots&trw=30", {})
    assert scenario == DEFAULTS.replace(transit_weight_pct=30.0) and "US EXIM general envelope" in notices[0]


@pytest.mark.parametrize("args,says", [
    (["solve", "--exim", "lots"], "--exim 'lots' is not a valid US EXIM general envelope: give 0 to 5000 M USD"),
    (["solve", "--year", "2099"], "give 2026 to 2035"),
    (["solve", "--obj", "cheapest"], "not a valid Objective: give one of min_dependence, max_secure"),
    (["solve", "not a link"], "not a Heartland link"),
    (["solve", "--format", "pdf", "--out", "x"], "invalid choice: 'pdf'"),
    (["sweep", "-i", "obj"], "not an input a sweep can vary"),
    (["sweep", "-i", "exim=9000:10000"], "within 0 to 5000"),
    (["sweep", "-i", "trw", "-n", "3"], "needs at least 6 scenarios"),
    (["sweep", "--workers", "0"], "--workers and --chunk must be at least 1"),
])
def test_bad_arguments_are_explained_without_a_traceback(args, says):
    done = cli(*args)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_no_plan_is_a_result_with_its_reason_and_exit_status_1():
    done = cli("solve", "--obj", "min_financing", "--dtgt", "0", "--trw", "100")
    assert done.returncode == 1 and "cannot be reached" in done.stdout and "Traceback" not in done.stderr


def test_help_reads_well():
    done = cli("--help")
    assert done.returncode == 0 and "solve" in done.stdout and "examples:" in done.stdout
    sweep = cli("sweep", "--help").stdout
    assert "Weight on transit" in sweep and "--scheduler ADDRESS" in sweep and "presets:" in sweep


def test_brief_writes_the_one_page_pdf_of_a_link(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "b.pdf"
    done = cli("brief", "v=2&offt=300&dfc=500", "--out", str(out), "--url", "https://heartland.example/explorer")
    assert done.returncode == 0, done.stderr
    text = PdfReader(out).pages[0].extract_text()
    assert len(PdfReader(out).pages) == 1
    r = model.run(model.load_model_data(), DEFAULTS.replace(offtake_musd=300.0, budget_dfc_musd=500.0))
    assert f"{r.dependence_after_pct:.1f} %" in text and "offt=300" in text.replace("\n", "")


def test_every_example_in_the_help_is_accepted(tmp_path):
    """The examples under --help are commands a reader will copy: each parses, a solve example runs
    without a notice that something in it was ignored, and a sweep's inputs are ones a sweep can vary."""
    import importlib
    import shlex

    from analytics.sweep import design

    cli_main = importlib.import_module("analytics.cli.main")
    lines = [line.strip() for line in cli_main.parser().epilog.splitlines() if line.strip().startswith("python -m")]
    assert len(lines) >= 3
    for line in lines:
        argv = shlex.split(line)[3:]
        args = cli_main.parser().parse_args(argv)
        for text in getattr(args, "input", None) or []:
            design.parse_range(text)
        if args.command == "solve":
            argv = [str(tmp_path) if a == args.out else a for a in argv]
            done = cli(*argv)
            assert done.returncode in (0, 1) and "Ignored" not in done.stdout and "Traceback" not in done.stderr, line


def test_sweep_on_a_cluster_by_address_writes_the_file_and_the_indices(tmp_path, dask_address):
    out = tmp_path / "sweep.parquet"
    done = cli("sweep", "status_quo", "--offt", "1000", "-n", "40", "-i", "trw", "-i", "allied=50:300",
               "--seed", "3", "--scheduler", dask_address, "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "40 scenarios in" in done.stdout and "What drives it (Sobol indices" in done.stdout
    loaded = files.read(out.read_bytes()).sweep
    assert len(loaded.results) == 40 and loaded.design.base == PRESETS["status_quo"].scenario.replace(
        offtake_musd=1000.0)
    ix = pd.read_csv(out.with_suffix(".indices.csv"))
    assert ix.input.tolist() == ["transit_weight_pct", "allied_capacity_pct"] and ix.ST.notna().all()


def test_russian_brief_from_the_command_line_has_the_pages_numbers(tmp_path):
    """`brief --lang ru` writes the brief in Russian (Cyrillic words, decimal commas) with the figures the
    Russian explorer page shows for the same link, and a link that opens the app in Russian."""
    import re

    from pypdf import PdfReader
    from streamlit.testing.v1 import AppTest

    query = "v=2&offt=300&dfc=500"
    out = tmp_path / "ru.pdf"
    done = cli("brief", query, "--lang", "ru", "--out", str(out), "--url", "https://heartland.example/explorer")
    assert done.returncode == 0, done.stderr
    reader = PdfReader(out)
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert len(re.findall("[А-Яа-яЁё]", text)) > 200  # the words are Russian, not just a title
    assert "Зависимость сегодня" in text and "Что ограничивает" in text
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (*(p.split("=") for p in query.split("&")), ("lang", "ru")):
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception
    shown = {m.label: m.value.replace("\xa0", " ") for m in at.metric}
    plain = text.replace("\xa0", " ")
    for label in ("Зависимость по плану", "Зависимость сегодня", "Без плана, 2030"):
        assert re.fullmatch(r"\d+,\d %", shown[label]) and shown[label] in plain, (label, shown[label])
    assert "lang=ru" in plain.replace("\n", "")
