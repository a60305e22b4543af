"""Shared fixtures: the shipped database built in memory once per session, and a builder of
tiny hand-checkable model inputs."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("HEARTLAND_CACHE", tempfile.mkdtemp(prefix="heartland-test-"))
# Solve in the test process (tests watch model.run); tests/test_bounded.py starts a worker on purpose.

from analytics import model
from analytics.data import store  # noqa: E402

ROUTES = [
    # route_id, destination, corridor_id, transit_countries, cost_usd_per_t, status_quo_share_pct
    # every route costs 10,000 USD per t of cargo: 0.01 M USD per tonne the plan sends along it
    ("china_via_border", "china", "china_border", "", 10_000.0, 100.0),
    ("russia_via_rail", "russia", "russia_rail", "", 10_000.0, 100.0),
    ("allied_via_russia", "allied", "russia_rail", "RU", 10_000.0, 100.0),
    ("allied_via_middle", "allied", "middle_corridor", "AZ;GE", 10_000.0, 0.0),
    ("allied_via_china", "allied", "china_border", "CN", 10_000.0, 0.0),
    ("domestic_local", "domestic", "domestic", "", 10_000.0, 100.0),
]


@pytest.fixture(scope="session")
def shipped_con():
    con = store.build_database()
    yield con
    con.close()


@pytest.fixture(scope="session")
def shipped_data(shipped_con) -> model.ModelData:
    return model.load_model_data(shipped_con)


def project(pid, mineral="x", output=0.0, capacity=None, capex=0.0, lead=0.0, funded_by="",
            china=100.0, russia=0.0, domestic=0.0, allied=0.0):
    return dict(project_id=pid, name=f"Project {pid}", mineral_id=mineral,
                output_tpy=float(output), capacity_tpy=float(output if capacity is None else capacity),
                capex_musd=float(capex), funded_by=funded_by, lead_time_years=float(lead), offtake_china_pct=china,
                offtake_russia_pct=russia, offtake_domestic_pct=domestic, offtake_allied_pct=allied)


def owner(pid, country, stake, lifts=True, name=None):
    return dict(project_id=pid, owner=name or f"{country} owner", owner_country=country, stake_pct=float(stake),
                state_owned=True, lifts_offtake=lifts)


def tiny_data(projects, minerals=None, allied_capacity=None, domestic_capacity=None, russia_capacity=None,
              corridors=None, financiers=None, owners=(), contracts=(), commitments=(), routes=None) -> model.ModelData:
    """A hand-sized ModelData. Minerals default to one, 'x', at 1 M USD per t (so a 5 % premium is
    0.05 M USD per t won), weight 1, cargo 1 t/t; every route costs 0.01 M USD per tonne sent along it."""
    minerals = minerals or [dict(mineral_id="x", name="X", price_usd_per_t=1e6, criticality_weight=1.0,
                                 cargo_t_per_t=1.0)]
    cap_rows = [("allied", m, c) for m, c in (allied_capacity or {}).items()]
    cap_rows += [("domestic", m, c) for m, c in (domestic_capacity or {}).items()]
    cap_rows += [("russia", m, c) for m, c in (russia_capacity or {}).items()]
    corridors = corridors or {"china_border": 1e6, "russia_rail": 1e6, "middle_corridor": 1e6}
    # financier id, max Chinese stake %, max Russian stake %, cap per project (M USD)
    fin_rows = financiers or [("dfc", 25.0, 25.0, 1e6)]
    fin = pd.DataFrame([dict(financier_id=k, name=k.upper(), is_partner=True, max_cn_stake_pct=cn,
                             max_ru_stake_pct=ru, exposure_cap_musd=cap) for k, cn, ru, cap in fin_rows])
    return model.ModelData(
        minerals=pd.DataFrame(minerals),
        projects=pd.DataFrame(projects),
        project_owners=pd.DataFrame(list(owners), columns=["project_id", "owner", "owner_country", "stake_pct",
                                                           "state_owned", "lifts_offtake"]),
        # (project_id, destination, share_pct, end_year[, seller, mineral_id]): a seller's general contract has no project
        contracts=pd.DataFrame([(*c, "", "")[:6] for c in contracts],
                               columns=["project_id", "destination", "share_pct", "end_year", "seller", "mineral_id"]),
        commitments=pd.DataFrame(list(commitments), columns=["commitment_id", "financier_id", "project_id",
                                                             "amount_musd", "instrument", "status", "date"]),
        financiers=fin,
        routes=pd.DataFrame(routes or ROUTES, columns=["route_id", "destination", "corridor_id", "transit_countries",
                                                       "cost_usd_per_t", "status_quo_share_pct"]),
        corridors=pd.DataFrame([dict(corridor_id=c, name=c, capacity_kt_per_yr=v) for c, v in corridors.items()]),
        processing_capacity=pd.DataFrame(cap_rows, columns=["destination", "mineral_id", "capacity_tpy"]),
    )


# ----------------------------------------------------------------------------- PostgreSQL

@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for this test session (tests/pg.py); stopped at the end."""
    from pg import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_schema_url(postgres_url):
    """An address whose tables live in a schema of their own, dropped after the test."""
    import uuid
    from urllib.parse import quote

    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}")  # generated name, not user input
    yield f"{postgres_url}?options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(postgres_url, autocommit=True) as con:
        con.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["duckdb", "postgresql"])
def saved_store(request, tmp_path, monkeypatch):
    """Each saved-scenario test runs against both stores: a fresh DuckDB file, and a fresh schema in a
    real PostgreSQL. Yields (backend name, raw insert function for rows an older app left)."""
    import duckdb

    monkeypatch.setenv("HEARTLAND_SAVED_DB", str(tmp_path / "saved.duckdb"))
    if request.param == "duckdb":
        monkeypatch.delenv("HEARTLAND_DATABASE_URL", raising=False)

        def insert(row: dict) -> None:
            with duckdb.connect(str(tmp_path / "saved.duckdb")) as con:
                con.execute("INSERT INTO saved_scenarios VALUES ($id, $name, $note, $created_utc, $params, "
                            "$url_version, $app_version, $data_version)", row)
    else:
        import psycopg

        url = request.getfixturevalue("postgres_schema_url")
        monkeypatch.setenv("HEARTLAND_DATABASE_URL", url)

        def insert(row: dict) -> None:
            with psycopg.connect(url, autocommit=True) as con:
                con.execute("INSERT INTO saved_scenarios VALUES (%(id)s, %(name)s, %(note)s, %(created_utc)s, "
                            "%(params)s, %(url_version)s, %(app_version)s, %(data_version)s)", row)
    return request.param, insert


# ----------------------------------------------------------------------------- Dask

@pytest.fixture(scope="session")
def dask_address():
    """A two-worker Dask cluster started by address (tests/daskcluster.py); stopped at the end."""
    from daskcluster import dask_cluster

    with dask_cluster(2) as address:
        yield address


# ----------------------------------------------------------------------------- pages and browsers

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def app_test(params: dict | None = None, page: str | None = None, lang: str | None = None,
             timeout_s: float = 120):
    """The app as a reader opens it (AppTest of app.py): with these link values, in this language, on this page;
    fails on any exception shown."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout_s)
    if lang:
        at.query_params["lang"] = lang
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(scope="module")
def server():
    """A fresh `streamlit run serve.py` on a loopback port for one test module (stopped by its pid after)."""
    from browser import streamlit_server

    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless, for one test module."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
