-- title: 支出结构（按功能分类的类）
-- answers: 一类部门（或一个部门）每份报告的支出按功能分类“类”级科目的金额与占比，用于比较同类部门的支出结构或一个部门的逐年变化
-- grain: one row per (report, 类-level functional code)
-- 口径：部门预算取预算数，其余取决算（执行）数
-- param kind: 部门类别（department_kinds.kind；与 department 二选一）
-- param department: 部门（单位）名称（与 kind 二选一）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH picked AS (
    SELECT s.*
    FROM selected_measures(NULL, NULL, NULL, $year_from, $year_to, NULL, NULL, $scope) AS s
    JOIN department_kinds AS k ON k.department = s.department
    WHERE (k.kind = $kind OR s.department = $department) AND ($kind IS NOT NULL OR $department IS NOT NULL)
),

classes AS (
    SELECT p.report_id, p.department, p.region_label, p.fiscal_year, p.own_basis, f.code, sum(f.total) AS amount
    FROM function_spending AS f
    JOIN picked AS p USING (report_id)
    WHERE f.basis = p.own_basis AND length(f.code) = 3 AND f.total IS NOT NULL
    GROUP BY ALL
)

SELECT
    c.department AS "部门（单位）",
    c.region_label AS "地区",
    c.fiscal_year AS "年度",
    CASE c.own_basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    c.code AS "科目编码",
    coalesce(n.name, c.code) AS "科目",
    round(c.amount, 2) AS "支出（万元）",
    round(c.amount / nullif(sum(c.amount) OVER (PARTITION BY c.report_id), 0) * 100, 2) AS "占比（%）",
    c.report_id AS "报告标识"
FROM classes AS c
LEFT JOIN function_codes AS n ON n.code = c.code
ORDER BY "地区", "部门（单位）", "年度", "科目编码"
