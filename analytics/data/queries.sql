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

-- name: mineral_shares
SELECT * FROM mineral_shares ORDER BY mineral_id, stage, share_pct DESC;

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
  AND ($owner_origin IS NULL OR owner_origin = $owner_origin)
ORDER BY mineral_id, project_id;
