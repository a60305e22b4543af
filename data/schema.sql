-- Heartland reference database. Built by analytics/store.py from the CSV seeds in data/.
-- Types and CHECKs here are the first line of validation: a bad seed fails the build loudly.

CREATE TABLE sources (
    source_id VARCHAR PRIMARY KEY, publisher VARCHAR NOT NULL, title VARCHAR NOT NULL,
    year INTEGER, url VARCHAR NOT NULL, accessed VARCHAR, note VARCHAR);

CREATE TABLE minerals (
    mineral_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, unit VARCHAR NOT NULL,
    us_critical_2022 BOOLEAN, us_critical_2025 BOOLEAN,
    price_usd_per_t DOUBLE NOT NULL CHECK (price_usd_per_t > 0), price_year INTEGER, price_is_estimate BOOLEAN,
    price_basis VARCHAR, price_source_id VARCHAR NOT NULL,
    criticality_weight DOUBLE NOT NULL CHECK (criticality_weight BETWEEN 1 AND 5),
    criticality_basis VARCHAR, cargo_t_per_t DOUBLE NOT NULL CHECK (cargo_t_per_t > 0),
    cargo_basis VARCHAR, allied_premium_pct DOUBLE CHECK (allied_premium_pct BETWEEN 0 AND 500),
    premium_is_estimate BOOLEAN, premium_basis VARCHAR, premium_source_id VARCHAR,
    source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE mineral_shares (
    mineral_id VARCHAR NOT NULL, stage VARCHAR NOT NULL CHECK (stage IN ('mining', 'processing', 'reserves')),
    country VARCHAR NOT NULL, share_pct DOUBLE NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
    year INTEGER, is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE projects (
    project_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, mineral_id VARCHAR NOT NULL,
    product VARCHAR, region VARCHAR, lat DOUBLE CHECK (lat BETWEEN 35 AND 60), lon DOUBLE CHECK (lon BETWEEN 45 AND 90),
    location_is_approximate BOOLEAN,
    stage VARCHAR NOT NULL CHECK (stage IN ('operating', 'expansion', 'construction', 'feasibility', 'exploration')),
    operator VARCHAR,
    output_tpy DOUBLE NOT NULL CHECK (output_tpy >= 0), output_year INTEGER, output_is_estimate BOOLEAN,
    capacity_tpy DOUBLE NOT NULL CHECK (capacity_tpy >= output_tpy), capacity_is_estimate BOOLEAN,
    capex_musd DOUBLE CHECK (capex_musd >= 0), capex_is_estimate BOOLEAN, funded_by VARCHAR,
    lead_time_years DOUBLE CHECK (lead_time_years >= 0),
    offtake_china_pct DOUBLE NOT NULL, offtake_russia_pct DOUBLE NOT NULL,
    offtake_domestic_pct DOUBLE NOT NULL, offtake_allied_pct DOUBLE NOT NULL, offtake_is_estimate BOOLEAN,
    estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE project_owners (
    project_id VARCHAR NOT NULL, owner VARCHAR NOT NULL, owner_country VARCHAR,
    stake_pct DOUBLE CHECK (stake_pct BETWEEN 0 AND 100), state_owned BOOLEAN, lifts_offtake BOOLEAN,
    source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE contracts (
    contract_id VARCHAR PRIMARY KEY, project_id VARCHAR, buyer VARCHAR NOT NULL, buyer_country VARCHAR,
    destination VARCHAR NOT NULL CHECK (destination IN ('china', 'russia', 'domestic', 'allied')),
    share_pct DOUBLE CHECK (share_pct BETWEEN 0 AND 100), tonnes_per_year DOUBLE, start_year INTEGER, end_year INTEGER,
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE commitments (
    commitment_id VARCHAR PRIMARY KEY, financier_id VARCHAR NOT NULL, project_id VARCHAR,
    amount_musd DOUBLE CHECK (amount_musd >= 0),
    instrument VARCHAR CHECK (instrument IN ('loi', 'loan', 'equity', 'guarantee', 'grant', 'envelope')),
    status VARCHAR CHECK (status IN ('announced', 'loi', 'signed', 'disbursed')), date VARCHAR,
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE financiers (
    financier_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, "group" VARCHAR, country VARCHAR, is_partner BOOLEAN NOT NULL,
    max_cn_stake_pct DOUBLE CHECK (max_cn_stake_pct BETWEEN 0 AND 100),
    max_ru_stake_pct DOUBLE CHECK (max_ru_stake_pct BETWEEN 0 AND 100),
    exposure_cap_musd DOUBLE CHECK (exposure_cap_musd >= 0),
    max_capex_share_pct DOUBLE CHECK (max_capex_share_pct BETWEEN 0 AND 100),
    rules_are_estimate BOOLEAN, rules_basis VARCHAR, source_id VARCHAR);

CREATE TABLE corridors (
    corridor_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, capacity_kt_per_yr DOUBLE,
    total_capacity_mt_per_yr DOUBLE, volume_mt_per_yr DOUBLE, volume_year INTEGER, is_estimate BOOLEAN,
    estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE routes (
    route_id VARCHAR PRIMARY KEY,
    destination VARCHAR NOT NULL CHECK (destination IN ('china', 'russia', 'domestic', 'allied')),
    corridor_id VARCHAR NOT NULL, transit_countries VARCHAR, cost_usd_per_t DOUBLE NOT NULL, transit_days DOUBLE,
    status_quo_share_pct DOUBLE NOT NULL CHECK (status_quo_share_pct BETWEEN 0 AND 100),
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL);

CREATE TABLE route_shares (
    mineral_id VARCHAR NOT NULL, route_id VARCHAR NOT NULL, share_pct DOUBLE NOT NULL CHECK (share_pct BETWEEN 0 AND 100),
    year INTEGER, is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE processing_capacity (
    destination VARCHAR NOT NULL, mineral_id VARCHAR NOT NULL, capacity_tpy DOUBLE,
    is_estimate BOOLEAN, estimate_basis VARCHAR, source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE export_controls (
    event_id VARCHAR PRIMARY KEY, date DATE NOT NULL, country VARCHAR, mineral_ids VARCHAR,
    measure VARCHAR NOT NULL, covers VARCHAR, source_id VARCHAR NOT NULL);

CREATE TABLE claims (
    claim_id VARCHAR PRIMARY KEY, claim VARCHAR NOT NULL, claimed_value VARCHAR, primary_value VARCHAR,
    unit VARCHAR, claim_source_id VARCHAR NOT NULL, primary_source_id VARCHAR NOT NULL, note VARCHAR);

CREATE TABLE kazakhstan_outline (
    ring INTEGER NOT NULL, "order" INTEGER NOT NULL, lon DOUBLE NOT NULL, lat DOUBLE NOT NULL,
    source_id VARCHAR NOT NULL);
