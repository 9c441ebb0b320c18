-- title: “三公”经费同比变化
-- answers: 各部门“三公”经费合计决算数与上年相比的变化（上年数可能由同比句推算）
-- grain: one row per (department, fiscal_year) whose total has a prior-year figure
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
WITH totals AS (
    SELECT
        s.region_label,
        s.department,
        t.fiscal_year,
        any_value(t.actual) AS actual,
        bool_or(t.derived) AS derived
    FROM three_public AS t
    JOIN selected_summary($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS s USING (report_id)
    WHERE t.item = 'total'
      AND t.basis = 'actual'
      AND t.actual IS NOT NULL
    GROUP BY ALL
)

SELECT
    cur.region_label AS "地区",
    cur.department AS "部门（单位）",
    cur.fiscal_year AS "年度",
    cur.actual AS "决算数（万元）",
    prev.actual AS "上年决算数（万元）",
    cur.actual - prev.actual AS "增减（万元）",
    (cur.actual - prev.actual) / nullif(prev.actual, 0) * 100 AS "增减率（%）",
    prev.derived AS "上年数为推算"
FROM totals AS cur
JOIN totals AS prev
  ON prev.department = cur.department AND prev.fiscal_year = cur.fiscal_year - 1
ORDER BY abs(cur.actual - prev.actual) DESC, "地区", "部门（单位）", "年度"
LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
