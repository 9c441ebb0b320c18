-- title: 报告目录
-- answers: 每份报告一行：地区、部门、年度、类型、口径（部门/单位）、版本、是否计入看板汇总、自评得分与等级，以及它的数据质量发现数
-- grain: one row per report
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param report_id: 只取这一份报告（空 = 全部）
-- param limit: 最多返回几行（空 = 不限；页面分页显示）
-- param offset: 跳过前几行（空 = 0）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH page AS (
    SELECT r.*
    FROM reports AS r
    WHERE r.report_id IN (SELECT report_id FROM matching_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
      AND ($report_id IS NULL OR r.report_id = $report_id)
    ORDER BY r.fiscal_year DESC, r.province, r.prefecture, r.department, r.project_name, r.report_id
    LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
),

flag_counts AS (
    SELECT
        report_id,
        count(*) FILTER (WHERE severity = 'error') AS errors,
        count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM quality_flags
    WHERE report_id IN (SELECT report_id FROM page)
    GROUP BY report_id
)

SELECT
    s.fiscal_year AS "年度",
    s.province AS "省份",
    s.prefecture AS "市州",
    s.county AS "区县",
    s.region_code AS "区划代码",
    s.department AS "部门（单位）",
    s.project_name AS "项目",
    coalesce(CASE WHEN s.scope = 'unit' THEN l.unit_label END, l.label, s.doc_type) AS "类型",
    CASE s.scope WHEN 'department' THEN '部门' WHEN 'unit' THEN '单位' WHEN 'project' THEN '项目' END AS "口径",
    CASE WHEN s.version > 1 THEN '版本 ' || s.version ELSE '' END AS "版本",
    CASE
        WHEN s.in_default_view THEN '是'
        WHEN s.scope = 'unit' THEN '否（已含于部门报告）'
        ELSE '否（后续版本）'
    END AS "计入汇总",
    s.total_score AS "自评得分",
    s.grade AS "等级",
    s.published_on AS "填报日期",
    len(s.source_files) AS "文件数",
    coalesce(f.errors, 0) AS "错误",
    coalesce(f.warnings, 0) AS "警告",
    s.report_id AS "报告标识"
FROM page AS s
LEFT JOIN flag_counts AS f USING (report_id)
LEFT JOIN doc_types AS l ON l.doc_type = s.doc_type
ORDER BY s.fiscal_year DESC, s.province, s.prefecture, s.department, s.project_name, s.report_id
