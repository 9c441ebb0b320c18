-- title: 数据质量发现
-- answers: 读取、识别、抽取和稽核中发现的问题：哪份报告、哪个文件哪一行、问题是什么
-- grain: one row per finding
-- param severity: 严重程度 error / warning / info（空 = 全部）
-- param report_id: 报告标识（空 = 全部，含未能识别为报告的文件）
-- param limit: 最多返回几行（空 = 不限；页面分页显示）
-- param offset: 跳过前几行（空 = 0）
-- param province: 省级行政区全称（空 = 全部；选了地区、部门、类型或口径时只列这些报告的发现）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 全部）
WITH page AS (
    SELECT *, CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END AS severity_rank
    FROM quality_flags
    WHERE ($severity IS NULL OR severity = $severity)
      AND ($report_id IS NULL OR report_id = $report_id)
      AND (report_id IN (SELECT report_id FROM matching_reports($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope))
           -- a file that is no report has no region, body or type: listed while none of them is chosen
           OR (report_id IS NULL AND coalesce($province, $prefecture, $county, $department, $doc_type, $scope) IS NULL))
    ORDER BY severity_rank, source_file, source_line, flag_id
    LIMIT coalesce($limit, 2147483647) OFFSET coalesce($offset, 0)
)

-- Columns: the finding's text right after its severity, so it gets the room; 规则 is the rule id
-- (the app shows its Chinese name from fiscallens/reference/rules.csv).
SELECT
    CASE q.severity WHEN 'error' THEN '错误' WHEN 'warning' THEN '警告' ELSE '说明' END AS "严重程度",
    q.message AS "说明",
    r.department AS "部门（单位）",
    r.fiscal_year AS "年度",
    q.source_file AS "文件",
    q.source_line AS "行号",
    q.rule AS "规则",
    q.report_id AS "报告标识"
FROM page AS q
LEFT JOIN reports AS r USING (report_id)
ORDER BY q.severity_rank, q.source_file, q.source_line, q.flag_id
