-- title: 部门及其类别
-- answers: 所选范围内的部门（单位）、所属地区、按名称归类的部门类别，以及同类部门在各地共有几个（供选择要与同类对比的部门）
-- grain: one row per department
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH peers AS (
    SELECT kind, count(*) AS departments
    FROM department_kinds
    WHERE department IN (SELECT department FROM reports WHERE in_default_view)
    GROUP BY kind
)

SELECT
    s.department AS "部门（单位）",
    any_value(s.region_label) AS "地区",
    k.kind AS "部门类别",
    any_value(p.departments) AS "同类部门数",
    count(*) AS "报告数",  -- one row per report: department_kinds has one row per department
    min(s.fiscal_year) AS "最早年度",
    max(s.fiscal_year) AS "最晚年度"
FROM selected_summary($province, $prefecture, NULL, $year_from, $year_to, $doc_type, $county, $scope) AS s
JOIN department_kinds AS k ON k.department = s.department
LEFT JOIN peers AS p ON p.kind = k.kind
GROUP BY s.department, k.kind
ORDER BY "同类部门数" DESC, "部门（单位）"
