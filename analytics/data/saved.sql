-- Saved scenarios (writable database, separate from the read-only reference data).
-- There is deliberately no query that lists the table: a saved scenario is reached only through its
-- link, and a session lists only the ids it saved itself.

-- name: create
CREATE TABLE IF NOT EXISTS saved_scenarios (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, note VARCHAR, created_utc TIMESTAMP NOT NULL,
    params VARCHAR NOT NULL, url_version INTEGER NOT NULL, app_version VARCHAR, data_version VARCHAR);

-- name: insert
INSERT INTO saved_scenarios VALUES ($id, $name, $note, $created_utc, $params, $url_version, $app_version, $data_version);

-- name: get
SELECT * FROM saved_scenarios WHERE id = $id;

-- name: count
SELECT count(*) AS n FROM saved_scenarios;
