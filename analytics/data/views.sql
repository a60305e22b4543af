-- World supply derived from the raw agency tables (data/world_production.csv and
-- data/processing_shares.csv). Run by analytics/data/store.py after the seeds are loaded, so every
-- share, rank, China share and concentration figure is computed here and typed nowhere else.
--
-- A group is one table column of one agency: (mineral_id, stage, unit, year). Its world total is the
-- printed "World total" row, or the sum of the printed rows where they add up to more (rounding, or a
-- total printed as a lower bound such as ">2,000,000"), or that sum where no total is printed:
--     world_total = max(printed world total, sum of the printed country and "Other" rows).
-- A country's share is its value / world_total. "Other" is everything no named country accounts for:
--     other_pct = 100 - sum of the named countries' shares (>= 0),
-- so the named shares and other_pct sum to 100 in every group.
-- processing_shares gives shares directly (agencies that print percentages, not tonnes); a group there
-- is used only where world_production has no row for the same mineral, stage and year.

CREATE VIEW world_rows AS
SELECT mineral_id, stage, country, year, value, unit, is_estimate, source_id, note,
       CASE WHEN lower(country) LIKE 'world%' THEN 'world'
            WHEN lower(country) LIKE 'other%' THEN 'other'
            ELSE 'country' END AS row_kind
FROM world_production;

CREATE VIEW world_groups AS
SELECT mineral_id, stage, unit, year,
       max(value) FILTER (WHERE row_kind = 'world') AS printed_world_total,
       coalesce(sum(value) FILTER (WHERE row_kind <> 'world'), 0) AS rows_total,
       greatest(coalesce(max(value) FILTER (WHERE row_kind = 'world'), 0),
                coalesce(sum(value) FILTER (WHERE row_kind <> 'world'), 0)) AS world_total
FROM world_rows
GROUP BY mineral_id, stage, unit, year;

-- One row per named country of each group, from either source; shares in percent.
CREATE VIEW named_shares AS
SELECT r.mineral_id, r.stage, r.unit, r.year, r.country, r.value, g.world_total,
       100.0 * r.value / g.world_total AS share_pct, r.is_estimate, r.source_id, 'world_production' AS basis
FROM world_rows r
JOIN world_groups g USING (mineral_id, stage, unit, year)
WHERE r.row_kind = 'country' AND g.world_total > 0
UNION ALL
SELECT p.mineral_id, p.stage, '%' AS unit, p.year, p.country, NULL AS value, NULL AS world_total,
       p.share_pct, false AS is_estimate, p.source_id, 'processing_shares' AS basis
FROM processing_shares p
WHERE NOT (lower(p.country) LIKE 'other%' OR lower(p.country) LIKE 'world%')
  AND NOT EXISTS (SELECT 1 FROM world_production w
                  WHERE w.mineral_id = p.mineral_id AND w.stage = p.stage AND w.year = p.year);

-- Every group with its world total, the rest of the world and whether it is the latest year.
CREATE VIEW share_groups AS
WITH sources AS (
    SELECT mineral_id, stage, unit, year, string_agg(DISTINCT source_id, ';' ORDER BY source_id) AS source_id,
           bool_or(is_estimate) AS any_estimate
    FROM (SELECT mineral_id, stage, unit, year, source_id, is_estimate FROM world_production
          UNION ALL
          SELECT mineral_id, stage, '%', year, source_id, false FROM processing_shares p
          WHERE NOT EXISTS (SELECT 1 FROM world_production w
                            WHERE w.mineral_id = p.mineral_id AND w.stage = p.stage AND w.year = p.year))
    GROUP BY ALL
), named AS (
    SELECT mineral_id, stage, unit, year, count(*) FILTER (WHERE share_pct > 0) AS countries_n,
           sum(share_pct) AS named_pct, sum(share_pct * share_pct) AS hhi,
           min(share_pct) FILTER (WHERE share_pct > 0) AS smallest_pct
    FROM named_shares GROUP BY ALL
)
SELECT s.mineral_id, s.stage, s.unit, s.year, g.world_total, g.printed_world_total,
       coalesce(n.countries_n, 0) AS countries_n, coalesce(n.named_pct, 0) AS named_pct,
       round(greatest(100 - coalesce(n.named_pct, 0), 0), 9) AS other_pct,
       coalesce(n.hhi, 0) AS hhi, n.smallest_pct, s.any_estimate AS is_estimate, s.source_id,
       s.year = max(s.year) OVER (PARTITION BY s.mineral_id, s.stage, s.unit) AS is_latest
FROM sources s
LEFT JOIN world_groups g USING (mineral_id, stage, unit, year)
LEFT JOIN named n USING (mineral_id, stage, unit, year);

-- Shares of every country and of "Other" (the rest of the world) per group, with the country's rank
-- among the named countries that produce (rank 1 = largest, ties share the better rank, 0 not ranked).
CREATE VIEW world_shares AS
SELECT n.mineral_id, n.stage, n.unit, n.year, n.country, n.value, n.world_total, n.share_pct,
       CASE WHEN n.share_pct > 0 THEN rank() OVER (PARTITION BY n.mineral_id, n.stage, n.unit, n.year,
                                                   n.share_pct > 0 ORDER BY n.share_pct DESC) END AS rank,
       n.is_estimate, n.source_id, n.basis, g.is_latest
FROM named_shares n JOIN share_groups g USING (mineral_id, stage, unit, year)
UNION ALL
SELECT mineral_id, stage, unit, year, 'Other' AS country,
       CASE WHEN world_total IS NOT NULL THEN world_total * other_pct / 100 END AS value, world_total,
       other_pct AS share_pct, NULL AS rank, is_estimate, source_id, 'rest of world' AS basis, is_latest
FROM share_groups;

-- China's share per group: China's own rows (an agency may print "China (CNNC)"); where China has
-- no row it is inside "Other" and china_listed is false.
CREATE VIEW china_shares AS
SELECT g.mineral_id, g.stage, g.unit, g.year,
       coalesce(sum(n.share_pct), 0) AS china_share_pct, count(n.country) > 0 AS china_listed,
       g.other_pct, coalesce(bool_or(n.is_estimate), g.is_estimate) AS is_estimate,
       coalesce(string_agg(DISTINCT n.source_id, ';'), g.source_id) AS source_id, g.is_latest
FROM share_groups g
LEFT JOIN named_shares n
  ON n.mineral_id = g.mineral_id AND n.stage = g.stage AND n.unit = g.unit AND n.year = g.year
 AND (lower(n.country) = 'china' OR lower(n.country) LIKE 'china (%')
GROUP BY g.mineral_id, g.stage, g.unit, g.year, g.other_pct, g.is_estimate, g.source_id, g.is_latest;

-- Concentration (Herfindahl-Hirschman index, 0-10,000) per group from the named countries only.
-- "Other" is not a country, so hhi is a lower bound when other_pct > 0; hhi_upper is the largest HHI
-- possible if "Other" is split among countries none larger than the smallest named producer:
--     whole = floor(other / smallest), rest = other - whole * smallest,
--     hhi_upper = hhi + whole * smallest^2 + rest^2   (smallest = 100 where no country is named).
CREATE VIEW concentration AS
WITH top AS (
    SELECT mineral_id, stage, unit, year, country AS top_country, share_pct AS top_share_pct
    FROM named_shares
    QUALIFY row_number() OVER (PARTITION BY mineral_id, stage, unit, year ORDER BY share_pct DESC, country) = 1
), bounds AS (
    SELECT *, coalesce(smallest_pct, 100.0) AS cap,
           floor(other_pct / coalesce(smallest_pct, 100.0) + 1e-9) AS whole
    FROM share_groups
)
SELECT b.mineral_id, b.stage, b.unit, b.year, b.hhi,
       CASE WHEN b.other_pct > 0
            THEN b.hhi + b.whole * b.cap * b.cap + power(greatest(b.other_pct - b.whole * b.cap, 0), 2)
            ELSE b.hhi END AS hhi_upper,
       b.other_pct > 0 AS is_lower_bound, b.other_pct, b.countries_n,
       coalesce(t.top_country, '') AS top_country, t.top_share_pct,
       CASE WHEN b.hhi > 1800 THEN 'highly concentrated'
            WHEN b.hhi >= 1000 THEN 'moderately concentrated'
            ELSE 'unconcentrated' END AS band,
       b.is_estimate, b.source_id, b.is_latest
FROM bounds b LEFT JOIN top t USING (mineral_id, stage, unit, year);

-- Kazakhstan's share and rank per group, beside the leader. Empty share: Kazakhstan has no row of its
-- own (it is inside "Other"); a share of 0 has no rank.
CREATE VIEW kazakhstan_place AS
WITH kz AS (
    SELECT mineral_id, stage, unit, year, sum(share_pct) AS kazakhstan_share_pct, min(rank) AS rank,
           bool_or(is_estimate) AS is_estimate, string_agg(DISTINCT source_id, ';') AS source_id
    FROM world_shares
    WHERE country <> 'Other' AND (lower(country) = 'kazakhstan' OR lower(country) LIKE 'kazakhstan (%')
    GROUP BY ALL
)
SELECT c.mineral_id, c.stage, c.unit, c.year, k.kazakhstan_share_pct, k.rank, c.countries_n,
       c.top_country AS leader, c.top_share_pct AS leader_share_pct,
       coalesce(k.is_estimate, c.is_estimate) AS is_estimate, coalesce(k.source_id, c.source_id) AS source_id,
       c.is_latest
FROM concentration c LEFT JOIN kz k USING (mineral_id, stage, unit, year);
