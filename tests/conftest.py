"""Shared fixtures: the shipped database built in memory once per session, and a builder of
tiny hand-checkable model inputs."""
from __future__ import annotations

import os
import tempfile

import pandas as pd
import pytest

os.environ.setdefault("HEARTLAND_CACHE", tempfile.mkdtemp(prefix="heartland-test-"))
# Solve in the test process (tests watch model.run); tests/test_bounded.py starts a worker on purpose.
os.environ.setdefault("HEARTLAND_SOLVE_WORKERS", "0")

from analytics import model
from analytics.data import store  # noqa: E402

ROUTES = [
    # route_id, destination, corridor_id, cost_usd_per_t, status_quo_share_pct
    ("china_via_border", "china", "china_border", 50.0, 100.0),
    ("russia_via_rail", "russia", "russia_rail", 60.0, 100.0),
    ("allied_via_middle", "allied", "middle_corridor", 150.0, 100.0),
    ("domestic_local", "domestic", "domestic", 5.0, 100.0),
]


@pytest.fixture(scope="session")
def shipped_con():
    con = store.build_database()
    yield con
    con.close()


@pytest.fixture(scope="session")
def shipped_data(shipped_con) -> model.ModelData:
    return model.load_model_data(shipped_con)


def project(pid, mineral="x", output=0.0, capacity=None, capex=0.0, lead=0.0, owner="western",
            china=100.0, russia=0.0, domestic=0.0, allied=0.0):
    return dict(project_id=pid, name=f"Project {pid}", mineral_id=mineral, owner_origin=owner,
                output_tpy=float(output), capacity_tpy=float(output if capacity is None else capacity),
                capex_musd=float(capex), lead_time_years=float(lead), offtake_china_pct=china,
                offtake_russia_pct=russia, offtake_domestic_pct=domestic, offtake_allied_pct=allied)


def tiny_data(projects, minerals=None, allied_capacity=None, domestic_capacity=None,
              corridors=None, financiers=None) -> model.ModelData:
    """A hand-sized ModelData. Minerals default to one, 'x', at 1 USD/t, weight 1, cargo 1 t/t."""
    minerals = minerals or [dict(mineral_id="x", name="X", price_usd_per_t=1.0, criticality_weight=1.0,
                                 cargo_t_per_t=1.0)]
    cap_rows = [("allied", m, c) for m, c in (allied_capacity or {}).items()]
    cap_rows += [("domestic", m, c) for m, c in (domestic_capacity or {}).items()]
    corridors = corridors or {"china_border": 1e6, "russia_rail": 1e6, "middle_corridor": 1e6}
    fin_rows = financiers or [("dfc", 0.0, 1e6, "chinese;russian")]
    fin = pd.DataFrame([dict(financier_id=k, name=k.upper(), is_partner=True, default_budget_musd=b,
                             max_budget_musd=b, exposure_cap_musd=cap, excluded_owner_origins=ex)
                        for k, b, cap, ex in fin_rows])
    return model.ModelData(
        minerals=pd.DataFrame(minerals),
        projects=pd.DataFrame(projects),
        financiers=fin,
        routes=pd.DataFrame(ROUTES, columns=["route_id", "destination", "corridor_id", "cost_usd_per_t",
                                             "status_quo_share_pct"]),
        corridors=pd.DataFrame([dict(corridor_id=c, name=c, capacity_kt_per_yr=v) for c, v in corridors.items()]),
        processing_capacity=pd.DataFrame(cap_rows, columns=["destination", "mineral_id", "capacity_tpy"]),
    )
