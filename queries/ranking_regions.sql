-- title: 地区排名（按指标）
-- answers: 所选范围内各地区一项指标的数值与名次：执行率（各报告执行数之和 ÷ 全年预算数之和）、平均自评得分、平均每个部门的“三公”经费、某一功能分类科目的支出合计
-- grain: one row per region (one level below the filter) with a value of the measure
-- 地区：未选省份时按省，选了省份按市州，选了市州按最细一级地区
-- 指标 measure：execution_rate 执行率（%）| score 平均自评总分（分）| three_public 每个部门（单位）年均“三公”经费（万元）| spending 支出合计（万元，功能分类科目 code；空 = 各类合计）
-- 口径：部门预算取预算数，其余取决算（执行）数
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
    -- report_measures: each report's basis, 三公 total and class-level spending, computed at build time.
    SELECT
        *,
        region_below_filter($prefecture, NULL, $province, province, prefecture, region_label) AS region
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
        p.* EXCLUDE (spending_total, spending_basic, spending_project),
        CASE WHEN $code IS NULL THEN p.spending_total ELSE c.amount END AS spending_amount,
        CASE $measure
            WHEN 'execution_rate' THEN p.execution_rate IS NOT NULL AND p.budget_full_year > 0
            WHEN 'score' THEN p.total_score IS NOT NULL
            WHEN 'three_public' THEN p.three_public_amount IS NOT NULL
            ELSE (CASE WHEN $code IS NULL THEN p.spending_total ELSE c.amount END) IS NOT NULL
        END AS has_value
    FROM picked AS p
    LEFT JOIN coded AS c USING (report_id)
),

per_region AS (
    SELECT
        region,
        CASE $measure
            WHEN 'execution_rate' THEN sum(actual) / nullif(sum(budget_full_year), 0) * 100
            WHEN 'score' THEN avg(total_score)
            WHEN 'three_public' THEN avg(three_public_amount)
            WHEN 'spending' THEN sum(spending_amount)
        END AS value,
        count(*) AS reports,  -- report_measures has one row per report
        count(DISTINCT department) AS departments,
        -- The bases present, 预算 before 决算 (a DISTINCT string_agg per region cost ≈ 100 ms at 100k).
        concat_ws(
            '、',
            CASE WHEN bool_or(own_basis = 'budget') THEN '预算' END,
            CASE WHEN bool_or(own_basis <> 'budget') THEN '决算' END
        ) AS bases
    FROM measured
    WHERE has_value
    GROUP BY region
)

SELECT
    rank() OVER (ORDER BY value DESC) AS "名次",
    count(*) OVER () AS "参与排名数",
    region AS "地区",
    round(value, 2) AS "数值",
    reports AS "报告数",
    departments AS "部门数",
    bases AS "口径"
FROM per_region
WHERE value IS NOT NULL
ORDER BY
    CASE WHEN coalesce($lowest, false) THEN value END ASC NULLS LAST,
    value DESC,
    "地区"
LIMIT coalesce($limit, 2147483647)
