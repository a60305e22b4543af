-- Saved scenarios in PostgreSQL (HEARTLAND_DATABASE_URL): the same table and queries as saved.sql,
-- with psycopg's named parameters. Every value is bound, never formatted into the text.

-- name: create
CREATE TABLE IF NOT EXISTS saved_scenarios (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, note TEXT, created_utc TIMESTAMP NOT NULL,
    params TEXT NOT NULL, url_version INTEGER NOT NULL, app_version TEXT, data_version TEXT);

-- name: insert
INSERT INTO saved_scenarios (id, name, note, created_utc, params, url_version, app_version, data_version)
VALUES (%(id)s, %(name)s, %(note)s, %(created_utc)s, %(params)s, %(url_version)s, %(app_version)s, %(data_version)s);

-- name: get
SELECT * FROM saved_scenarios WHERE id = %(id)s;

-- name: count
SELECT count(*) AS n FROM saved_scenarios;
