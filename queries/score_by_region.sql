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
SELECT
    region_below_filter($prefecture, $department, $province, province, prefecture, region_label) AS "地区",
    count(*) AS "评价对象数",
    count(DISTINCT report_id) AS "报告数",
    min(total_score) AS "最低分",
    percentile_cont(0.25) WITHIN GROUP (ORDER BY total_score) AS "下四分位",
    percentile_cont(0.5) WITHIN GROUP (ORDER BY total_score) AS "中位数",
    percentile_cont(0.75) WITHIN GROUP (ORDER BY total_score) AS "上四分位",
    max(total_score) AS "最高分",
    avg(total_score) AS "平均分"
FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type)
WHERE total_score IS NOT NULL
GROUP BY ALL
ORDER BY "地区"
