-- title: 自评得分分布（按地区）
-- answers: 各地区评价对象自评总分的个数、最低、四分位数、中位数、最高与平均（箱线图）
-- grain: one row per region with at least one scored evaluation
-- 地区：未选省份时按省汇总，选了省份按市州，选了市州或部门按最细一级地区（图表每个地区一组，而非每份报告一条）
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
SELECT
    region_below_filter($prefecture, $department, $province, province, prefecture, region_label) AS "地区",
    count(*) AS "评价对象数",
    count(DISTINCT report_id) AS "报告数",
    min(total_score) AS "最低分",
    percentile_cont(0.25) WITHIN GROUP (ORDER BY total_score) AS "下四分位",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY total_score) AS "中位数",
    percentile_cont(0.75) WITHIN GROUP (ORDER BY total_score) AS "上四分位",
    max(total_score) AS "最高分",
    avg(total_score) AS "平均分",
    -- the scores themselves where there are too few for a box (charts.MIN_BOX_VALUES): drawn as points
    CASE WHEN count(*) < 8 THEN list_sort(list(total_score)) END AS "各对象得分"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
WHERE total_score IS NOT NULL
GROUP BY ALL
ORDER BY "地区"
