-- Named queries, one per block, introduced by "-- name: <name>". Bind values with $name.

-- name: minerals
SELECT * FROM minerals ORDER BY mineral_id;

-- name: projects
SELECT * FROM projects ORDER BY mineral_id, project_id;

-- name: project_owners
SELECT * FROM project_owners ORDER BY project_id, stake_pct DESC NULLS LAST, owner;

-- name: contracts
SELECT * FROM contracts ORDER BY contract_id;

-- name: commitments
SELECT * FROM commitments ORDER BY financier_id, commitment_id;

-- name: route_shares
SELECT * FROM route_shares ORDER BY mineral_id, route_id;

-- name: financiers
SELECT * FROM financiers ORDER BY is_partner DESC, financier_id;

-- name: corridors
SELECT * FROM corridors ORDER BY corridor_id;

-- name: routes
SELECT * FROM routes ORDER BY route_id;

-- name: processing_capacity
SELECT * FROM processing_capacity ORDER BY destination, mineral_id;

-- name: project_owners
SELECT * FROM project_owners ORDER BY project_id, stake_pct DESC, owner;

-- name: contracts
SELECT * FROM contracts ORDER BY contract_id;

-- name: commitments
SELECT * FROM commitments ORDER BY commitment_id;

-- name: world_production
SELECT * FROM world_production ORDER BY mineral_id, stage, unit, year, row_number() OVER ();

-- name: processing_shares
SELECT * FROM processing_shares ORDER BY mineral_id, stage, year, share_pct DESC;

-- World supply, derived in views.sql from world_production and processing_shares.

-- name: world_shares
SELECT * FROM world_shares ORDER BY mineral_id, stage, unit, year, country = 'Other', share_pct DESC, country;

-- name: china_shares
SELECT * FROM china_shares ORDER BY mineral_id, stage, unit, year;

-- name: concentration
SELECT * FROM concentration ORDER BY mineral_id, stage, unit, year;

-- name: kazakhstan_place
SELECT * FROM kazakhstan_place ORDER BY mineral_id, stage, unit, year;

-- name: export_controls
SELECT * FROM export_controls ORDER BY date;

-- name: claims
SELECT * FROM claims ORDER BY claim_id;

-- name: sources
SELECT * FROM sources ORDER BY source_id;

-- name: kazakhstan_outline
SELECT * FROM kazakhstan_outline ORDER BY ring, "order";

-- name: source_by_id
SELECT * FROM sources WHERE source_id = $source_id;

-- name: projects_filtered
SELECT * FROM projects
WHERE ($mineral_id IS NULL OR mineral_id = $mineral_id)
  AND ($stage IS NULL OR stage = $stage)
ORDER BY mineral_id, project_id;
