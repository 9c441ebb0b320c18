-- title: 同类部门对比
-- answers: 同一类别的部门（各地的财政局、大数据局等）每份报告的执行率、自评得分、“三公”经费合计与支出合计，不受地区筛选限制（与其他地区的同类部门比）
-- grain: one row per report of a department of the kind
-- 口径：部门预算取预算数，其余取决算（执行）数；“三公”经费取报告当年的原文数（合计行，无合计行时为分项之和）
-- param kind: 部门类别（department_kinds.kind，必填）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH picked AS (
    -- report_measures: each report's basis, 三公 total and class-level spending, computed at build time.
    SELECT s.*
    FROM selected_measures(NULL, NULL, NULL, $year_from, $year_to, NULL, NULL, $scope) AS s
    JOIN department_kinds AS k ON k.department = s.department
    WHERE k.kind = $kind
)

SELECT
    p.department AS "部门（单位）",
    p.region_label AS "地区",
    p.fiscal_year AS "年度",
    coalesce(d.label, p.doc_type) AS "文档类型",
    CASE p.own_basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    round(p.execution_rate, 2) AS "执行率（%）",
    round(p.total_score, 2) AS "自评得分",
    round(p.actual, 2) AS "执行数（万元）",
    round(p.three_public_amount, 2) AS "“三公”经费（万元）",
    round(p.spending_total, 2) AS "支出合计（万元）",
    round(p.spending_basic, 2) AS "基本支出（万元）",
    round(p.spending_project, 2) AS "项目支出（万元）",
    p.report_id AS "报告标识"
FROM picked AS p
LEFT JOIN doc_types AS d ON d.doc_type = p.doc_type
ORDER BY "地区", "部门（单位）", "年度", "文档类型"
