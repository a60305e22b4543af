-- Transitional, branch datapkg only ("lead's tables pending"). data/datapackage.json describes these
-- tables with their new columns; their CSVs on this branch still have the old ones, so analytics/data/store.py
-- builds them from here (package.PENDING_LEAD_TABLES). Delete this file when the new CSVs land.

CREATE TABLE minerals (
    mineral_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, unit VARCHAR NOT NULL,
    us_critical_2022 BOOLEAN, us_critical_2025 BOOLEAN,
    price_usd_per_t DOUBLE NOT NULL CHECK (price_usd_per_t > 0), price_year INTEGER,
    price_source_id VARCHAR NOT NULL,
    criticality_weight DOUBLE NOT NULL CHECK (criticality_weight BETWEEN 1 AND 5),
    criticality_basis VARCHAR, cargo_t_per_t DOUBLE NOT NULL CHECK (cargo_t_per_t > 0),
    cargo_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE projects (
    project_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, mineral_id VARCHAR NOT NULL,
    product VARCHAR, region VARCHAR, lat DOUBLE NOT NULL, lon DOUBLE NOT NULL,
    stage VARCHAR NOT NULL CHECK (stage IN ('operating', 'expansion', 'construction', 'feasibility', 'exploration')),
    operator VARCHAR,
    owner_origin VARCHAR NOT NULL CHECK (owner_origin IN ('kazakh_state', 'kazakh_private', 'chinese', 'russian', 'western', 'japanese_korean', 'mixed')),
    output_tpy DOUBLE NOT NULL CHECK (output_tpy >= 0),
    capacity_tpy DOUBLE NOT NULL CHECK (capacity_tpy >= output_tpy),
    capex_musd DOUBLE NOT NULL CHECK (capex_musd >= 0),
    lead_time_years DOUBLE NOT NULL CHECK (lead_time_years >= 0),
    offtake_china_pct DOUBLE NOT NULL, offtake_russia_pct DOUBLE NOT NULL,
    offtake_domestic_pct DOUBLE NOT NULL, offtake_allied_pct DOUBLE NOT NULL,
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE financiers (
    financier_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "group" VARCHAR, is_partner BOOLEAN NOT NULL,
    default_budget_musd DOUBLE NOT NULL CHECK (default_budget_musd >= 0),
    max_budget_musd DOUBLE NOT NULL, exposure_cap_musd DOUBLE NOT NULL,
    excluded_owner_origins VARCHAR, basis VARCHAR, source_id VARCHAR NOT NULL);

CREATE TABLE corridors (
    corridor_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, capacity_kt_per_yr DOUBLE,
    total_capacity_mt_per_yr DOUBLE, is_estimate BOOLEAN, estimate_basis VARCHAR,
    source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE routes (
    route_id VARCHAR PRIMARY KEY,
    destination VARCHAR NOT NULL CHECK (destination IN ('china', 'russia', 'domestic', 'allied')),
    corridor_id VARCHAR NOT NULL, cost_usd_per_t DOUBLE NOT NULL, transit_days DOUBLE,
    status_quo_share_pct DOUBLE NOT NULL CHECK (status_quo_share_pct BETWEEN 0 AND 100),
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL);
