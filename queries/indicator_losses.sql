-- title: 失分最多的指标
-- answers: 得分低于分值的绩效指标，按失分从多到少，附目标值、完成值与原因
-- grain: one row per indicator that lost points
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
    SELECT *, weight - score AS lost
    FROM indicators
    WHERE report_id IN (SELECT report_id FROM selected_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
      AND score < weight
    ORDER BY lost DESC, report_id, evaluation_id, level3, source_line
    LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
)

SELECT
    e.region_label AS "地区",
    e.fiscal_year AS "年度",
    e.name AS "评价对象",
    i.level1 AS "一级指标",
    i.level2 AS "二级指标",
    i.level3 AS "三级指标",
    i.target_text AS "年度指标值",
    i.actual_text AS "实际完成值",
    i.weight AS "分值",
    i.score AS "得分",
    i.lost AS "失分",
    i.shortfall_reason AS "原因（报告原文）",
    i.source_file AS "来源文件",
    i.source_line AS "来源行号"
FROM page AS i
JOIN evaluation_detail AS e USING (evaluation_id)
ORDER BY i.lost DESC, i.report_id, i.evaluation_id, i.level3, i.source_line
