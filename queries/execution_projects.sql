-- title: 项目执行明细
-- answers: 各项目、子项目的预算、执行与未执行金额，按未执行金额从大到小，附报告所写的偏差原因
-- grain: one row per project or sub-project evaluation with a full-year budget
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param limit: 最多返回几行（空 = 不限；页面分页显示）
-- param offset: 跳过前几行（空 = 0）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH page AS (
    SELECT *
    FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
    WHERE scope IN ('project', 'subproject')
      AND budget_full_year IS NOT NULL
    ORDER BY shortfall DESC NULLS LAST, name, report_id, evaluation_id
    LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
),

-- The reason the report states for the unit itself first, then its indicators' 未完成原因.
indicator_reasons AS (
    SELECT evaluation_id, string_agg(DISTINCT shortfall_reason, '；' ORDER BY shortfall_reason) AS reason
    FROM indicators
    WHERE shortfall_reason IS NOT NULL
      AND evaluation_id IN (SELECT evaluation_id FROM page)
    GROUP BY evaluation_id
),

reasons AS (
    SELECT
        p.evaluation_id,
        nullif(concat_ws('；', u.shortfall_reason, i.reason), '') AS reason
    FROM page AS p
    LEFT JOIN evaluations AS u USING (evaluation_id)
    LEFT JOIN indicator_reasons AS i USING (evaluation_id)
)

-- Columns: the project, then 执行率, 未执行 and the stated reason, the amounts, then where.
SELECT
    e.name AS "项目",
    e.execution_rate AS "执行率（%）",
    e.shortfall AS "未执行（万元）",
    r.reason AS "偏差原因（报告原文）",
    e.budget_full_year AS "全年预算（万元）",
    e.actual AS "执行数（万元）",
    e.total_score AS "自评得分",
    CASE e.scope WHEN 'project' THEN '项目' ELSE '子项目' END AS "层级",
    e.fiscal_year AS "年度",
    e.department AS "部门（单位）",
    e.region_label AS "地区",
    e.report_id AS "报告标识"
FROM page AS e
LEFT JOIN reasons AS r USING (evaluation_id)
ORDER BY e.shortfall DESC NULLS LAST, e.name, e.report_id, e.evaluation_id
