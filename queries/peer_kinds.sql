-- title: 同类部门分组
-- answers: 按名称归类的部门类别（如各地的财政局、大数据局）：每类有几个部门、分布在几个地区、哪些部门；归类规则见 department_kinds.rule，可在 data/department_kinds.csv 中指定
-- grain: one row per department kind
WITH members AS (
    SELECT k.kind, k.department, r.region_code, r.report_id
    FROM department_kinds AS k
    JOIN reports AS r ON r.department = k.department AND r.in_default_view
),

-- The names listed once each, in a CTE of their own: one DISTINCT aggregate per query keeps it portable
-- (Spark cannot rewrite several DISTINCT aggregates when one of them is an ordered string_agg).
names AS (
    SELECT kind, string_agg(department, '、' ORDER BY department) AS departments
    FROM (SELECT DISTINCT kind, department FROM members) AS d
    GROUP BY kind
),

-- Counted per kind before the names are joined: grouping by the long list of names as well cost seconds
-- at 100k reports (hashing a string of hundreds of names for every report).
counts AS (
    SELECT
        kind,
        count(DISTINCT department) AS departments,
        count(DISTINCT region_code) AS regions,
        count(DISTINCT report_id) AS reports
    FROM members
    GROUP BY kind
)

SELECT
    c.kind AS "部门类别",
    c.departments AS "部门数",
    c.regions AS "地区数",
    c.reports AS "报告数",
    n.departments AS "部门（单位）"
FROM counts AS c
JOIN names AS n ON n.kind = c.kind
ORDER BY "地区数" DESC, "部门数" DESC, "部门类别"
