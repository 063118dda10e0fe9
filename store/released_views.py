# ruff: noqa: E501  (the SQL as released, byte for byte)
"""The views as schema step 5 released them: later steps drop and create them again from the
current expressions (store/queries.py views()); step 5 keeps creating these, so that a file upgraded
step by step ends as a new one does (tests/store/test_schema.py)."""

STEP_5 = """
CREATE VIEW programme_summary AS
SELECT
    id,
    portfolio_id,
    position,
    portfolio_name AS portfolio,
    code,
    name,
    sro,
    rag,
    derived_rag,
    COALESCE(rag, derived_rag) AS rolled_rag,
    projects,
    red_milestones,
    overdue_milestones,
    high_risks,
    financial_year,
    savings_gross,
    savings_cost,
    ((savings_gross) - (savings_cost)) AS savings_net
FROM (
    SELECT p.id, p.portfolio_id, p.position, f.name AS portfolio_name, p.code, p.name, p.sro, p.rag, CASE MAX(COALESCE((SELECT MAX(COALESCE(CASE j.rag WHEN 'Green' THEN 1 WHEN 'Amber' THEN 2 WHEN 'Red' THEN 3 END, (CASE WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Red') THEN 3 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Amber') THEN 2 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Green') THEN 1 END))) FROM project j WHERE j.programme_id = p.id), 0), COALESCE((CASE WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.programme_id = p.id AND m.status = 'Red') THEN 3 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.programme_id = p.id AND m.status = 'Amber') THEN 2 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.programme_id = p.id AND m.status = 'Green') THEN 1 END), 0)) WHEN 1 THEN 'Green' WHEN 2 THEN 'Amber' WHEN 3 THEN 'Red' END AS derived_rag, (SELECT count(*) FROM project j WHERE j.programme_id = p.id) AS projects, COALESCE((SELECT count(*) FROM milestone m WHERE m.programme_id = p.id AND m.status = 'Red'), 0) + COALESCE((SELECT count(*) FROM project j JOIN milestone m ON m.project_id = j.id WHERE j.programme_id = p.id AND m.status = 'Red'), 0) AS red_milestones, COALESCE((SELECT count(*) FROM milestone m WHERE m.programme_id = p.id AND (m.status <> 'Complete' AND m.actual IS NULL AND COALESCE(m.forecast, m.baseline) < f.status_date)), 0) + COALESCE((SELECT count(*) FROM project j JOIN milestone m ON m.project_id = j.id WHERE j.programme_id = p.id AND (m.status <> 'Complete' AND m.actual IS NULL AND COALESCE(m.forecast, m.baseline) < f.status_date)), 0) AS overdue_milestones, COALESCE((SELECT count(*) FROM risk k WHERE k.programme_id = p.id AND (k.status = 'Open' AND (k.likelihood * k.impact) >= f.red_min)), 0) + COALESCE((SELECT count(*) FROM project j JOIN risk k ON k.project_id = j.id WHERE j.programme_id = p.id AND (k.status = 'Open' AND (k.likelihood * k.impact) >= f.red_min)), 0) AS high_risks, f.fy AS financial_year, COALESCE((SELECT COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0) FROM saving s WHERE s.programme_id = p.id AND s.year = f.fy), 0) + COALESCE((SELECT COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0) FROM project j JOIN saving s ON s.project_id = j.id WHERE j.programme_id = p.id AND s.year = f.fy), 0) AS savings_gross, COALESCE((SELECT COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0) FROM saving s WHERE s.programme_id = p.id AND s.year = f.fy), 0) + COALESCE((SELECT COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0) FROM project j JOIN saving s ON s.project_id = j.id WHERE j.programme_id = p.id AND s.year = f.fy), 0) AS savings_cost
    FROM programme p JOIN (SELECT *, printf('%d/%02d', (CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04')), ((CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04')) + 1) % 100) AS fy FROM portfolio) f ON f.id = p.portfolio_id
);
CREATE VIEW project_summary AS
SELECT
    id,
    programme_id,
    portfolio_id,
    position,
    portfolio,
    programme_code,
    reference,
    name,
    stage,
    lead,
    rag,
    derived_rag,
    COALESCE(rag, derived_rag) AS rolled_rag,
    red_milestones,
    overdue_milestones,
    high_risks,
    open_risks,
    next_milestone,
    next_date,
    financial_year,
    savings_gross,
    savings_cost,
    ((savings_gross) - (savings_cost)) AS savings_net
FROM (
    SELECT j.id, j.programme_id, f.id AS portfolio_id, j.position, f.name AS portfolio, p.code AS programme_code, j.reference, j.name, j.stage, j.lead, j.rag, CASE (CASE WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Red') THEN 3 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Amber') THEN 2 WHEN EXISTS (SELECT 1 FROM milestone m WHERE m.project_id = j.id AND m.status = 'Green') THEN 1 END) WHEN 1 THEN 'Green' WHEN 2 THEN 'Amber' WHEN 3 THEN 'Red' END AS derived_rag, (SELECT count(*) FROM milestone m WHERE m.project_id = j.id AND m.status = 'Red') AS red_milestones, (SELECT count(*) FROM milestone m WHERE m.project_id = j.id AND (m.status <> 'Complete' AND m.actual IS NULL AND COALESCE(m.forecast, m.baseline) < f.status_date)) AS overdue_milestones, (SELECT count(*) FROM risk k WHERE k.project_id = j.id AND (k.status = 'Open' AND (k.likelihood * k.impact) >= f.red_min)) AS high_risks, (SELECT count(*) FROM risk k WHERE k.project_id = j.id AND k.status = 'Open') AS open_risks, (SELECT m.name FROM milestone m WHERE m.project_id = j.id AND m.status <> 'Complete' AND m.actual IS NULL ORDER BY COALESCE(m.forecast, m.baseline) IS NULL, COALESCE(m.forecast, m.baseline), m.position, m.id LIMIT 1) AS next_milestone, (SELECT COALESCE(COALESCE(m.forecast, m.baseline), NULLIF(m.due_text, '')) FROM milestone m WHERE m.project_id = j.id AND m.status <> 'Complete' AND m.actual IS NULL ORDER BY COALESCE(m.forecast, m.baseline) IS NULL, COALESCE(m.forecast, m.baseline), m.position, m.id LIMIT 1) AS next_date, printf('%d/%02d', (CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')), ((CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')) + 1) % 100) AS financial_year, (SELECT COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0) FROM saving s WHERE s.project_id = j.id AND s.year = printf('%d/%02d', (CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')), ((CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')) + 1) % 100)) AS savings_gross, (SELECT COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0) FROM saving s WHERE s.project_id = j.id AND s.year = printf('%d/%02d', (CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')), ((CAST(substr(f.status_date, 1, 4) AS INTEGER) - (substr(f.status_date, 6, 2) < '04')) + 1) % 100)) AS savings_cost
    FROM project j JOIN programme p ON p.id = j.programme_id
    JOIN (SELECT *, printf('%d/%02d', (CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04')), ((CAST(substr(status_date, 1, 4) AS INTEGER) - (substr(status_date, 6, 2) < '04')) + 1) % 100) AS fy FROM portfolio) f ON f.id = p.portfolio_id
);
CREATE VIEW milestone_status AS
SELECT
    m.id AS id,
    f.id AS portfolio_id,
    m.project_id AS project_id,
    m.programme_id AS programme_id,
    p.id AS in_programme_id,
    COALESCE(j.name, p.name) AS owner,
    j.name AS project,
    p.name AS programme,
    m.name AS name,
    m.due_text AS due_text,
    m.baseline AS baseline,
    m.forecast AS forecast,
    m.actual AS actual,
    COALESCE(m.actual, m.forecast, m.baseline) AS expected,
    m.status AS status,
    COALESCE((m.status <> 'Complete' AND m.actual IS NULL AND COALESCE(m.forecast, m.baseline) < f.status_date), 0) AS overdue,
    CAST(julianday(COALESCE(m.actual, m.forecast)) - julianday(m.baseline) AS INTEGER) AS slippage_days,
    m.position AS position
FROM milestone m LEFT JOIN project j ON j.id = m.project_id JOIN programme p ON p.id = COALESCE(j.programme_id, m.programme_id) JOIN portfolio f ON f.id = p.portfolio_id;
CREATE VIEW risk_scored AS
SELECT
    k.id AS id,
    f.id AS portfolio_id,
    k.project_id AS project_id,
    k.programme_id AS programme_id,
    p.id AS in_programme_id,
    COALESCE(j.name, p.name) AS owner_item,
    k.reference AS reference,
    k.description AS description,
    k.owner AS owner,
    k.status AS status,
    k.likelihood AS likelihood,
    k.impact AS impact,
    (k.likelihood * k.impact) AS score,
    CASE WHEN (k.likelihood * k.impact) IS NULL THEN NULL WHEN (k.likelihood * k.impact) <= f.green_max THEN 'Green' WHEN (k.likelihood * k.impact) >= f.red_min THEN 'Red' ELSE 'Amber' END AS rag,
    k.residual_likelihood AS residual_likelihood,
    k.residual_impact AS residual_impact,
    (k.residual_likelihood * k.residual_impact) AS residual_score,
    CASE WHEN (k.residual_likelihood * k.residual_impact) IS NULL THEN NULL WHEN (k.residual_likelihood * k.residual_impact) <= f.green_max THEN 'Green' WHEN (k.residual_likelihood * k.residual_impact) >= f.red_min THEN 'Red' ELSE 'Amber' END AS residual_rag,
    COALESCE((k.status = 'Open' AND (k.likelihood * k.impact) >= f.red_min), 0) AS high,
    k.position AS position
FROM risk k LEFT JOIN project j ON j.id = k.project_id JOIN programme p ON p.id = COALESCE(j.programme_id, k.programme_id) JOIN portfolio f ON f.id = p.portfolio_id;
CREATE VIEW savings_by_year AS
SELECT
    j.programme_id AS programme_id,
    s.project_id AS project_id,
    s.year AS year,
    COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0) AS gross,
    COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0) AS cost,
    ((COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0)) - (COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0))) AS net
FROM saving s JOIN project j ON j.id = s.project_id
GROUP BY s.project_id, s.year
UNION ALL
SELECT s.programme_id, NULL AS project_id, s.year, COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0) AS gross, COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0) AS cost, ((COALESCE(sum(CASE WHEN s.kind IN ('saving', 'income', 'cost avoidance') THEN s.amount END), 0)) - (COALESCE(sum(CASE WHEN s.kind = 'cost' THEN s.amount END), 0))) AS net
FROM (SELECT programme_id, year, kind, amount FROM saving WHERE programme_id IS NOT NULL
      UNION ALL SELECT j.programme_id, s.year, s.kind, s.amount
      FROM project j JOIN saving s ON s.project_id = j.id) s
GROUP BY s.programme_id, s.year;
"""
