-- title: 自评等级分布
-- answers: 各等级（优、良、中、差，未评级）与层级（部门整体、项目、子项目）的评价对象数
-- grain: one row per (grade, scope) with at least one scored evaluation
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    coalesce(grade, '未评级') AS "等级",
    CASE scope WHEN 'department' THEN '部门整体' WHEN 'project' THEN '项目' ELSE '子项目' END AS "层级",
    count(*) AS "个数"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
WHERE total_score IS NOT NULL
GROUP BY ALL
ORDER BY "等级", "层级"
