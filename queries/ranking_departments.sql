-- title: 部门排名（按指标）
-- answers: 所选范围内各部门（单位）每个年度一项指标的数值与名次：执行率、自评得分、“三公”经费合计或某一功能分类科目的支出；可取最高或最低的若干个
-- grain: one row per report (a department in one year) with a value of the measure
-- 指标 measure：execution_rate 执行率（%，执行数 ÷ 全年预算数）| score 自评总分（分）| three_public “三公”经费合计（万元，报告当年，原文数）| spending 支出（万元，功能分类科目 code；空 = 各类合计）
-- 口径：部门预算取预算数，其余取决算（执行）数；不按部门筛选，所选部门在其同级中排名
-- param measure: 指标 execution_rate / score / three_public / spending（必填）
-- param code: 功能分类科目编码（仅 spending；空 = 各类合计）
-- param lowest: 是否取最低的（true = 从低到高；空 = 从高到低）
-- param limit: 最多返回几行（空 = 不限）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH picked AS (
    -- report_measures: each report's basis, 三公 total of its own year (as printed: the 合计 row, else the
    -- sum of the items) and class-level spending, computed at build time.
    SELECT *
    FROM selected_measures($province, $prefecture, NULL, $year_from, $year_to, $doc_type, $county, $scope)
    WHERE $measure IN ('execution_rate', 'score', 'three_public', 'spending')
),

coded AS (
    -- One functional code's spending (class totals are in report_measures): only when a code is chosen.
    SELECT f.report_id, sum(f.total) AS amount
    FROM function_spending AS f
    JOIN picked AS p USING (report_id)
    WHERE $measure = 'spending' AND $code IS NOT NULL AND f.basis = p.own_basis AND f.code = $code
    GROUP BY f.report_id
),

measured AS (
    SELECT
        p.*,
        CASE $measure
            WHEN 'execution_rate' THEN p.execution_rate
            WHEN 'score' THEN p.total_score
            WHEN 'three_public' THEN p.three_public_amount
            WHEN 'spending' THEN CASE WHEN $code IS NULL THEN p.spending_total ELSE c.amount END
        END AS value,
        CASE WHEN $measure = 'three_public' THEN coalesce(p.three_public_basis, p.own_basis) ELSE p.own_basis END AS basis
    FROM picked AS p
    LEFT JOIN coded AS c USING (report_id)
)

SELECT
    rank() OVER (ORDER BY value DESC) AS "名次",
    count(*) OVER () AS "参与排名数",
    department AS "部门（单位）",
    region_label AS "地区",
    fiscal_year AS "年度",
    coalesce(d.label, m.doc_type) AS "文档类型",
    CASE basis WHEN 'budget' THEN '预算' ELSE '决算' END AS "口径",
    round(value, 2) AS "数值",
    report_id AS "报告标识"
FROM measured AS m
LEFT JOIN doc_types AS d USING (doc_type)
WHERE value IS NOT NULL
ORDER BY
    CASE WHEN coalesce($lowest, false) THEN value END ASC NULLS LAST,
    value DESC,
    "部门（单位）",
    "年度"
LIMIT coalesce($limit, 2147483647)
