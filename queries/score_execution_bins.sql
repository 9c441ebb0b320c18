-- title: 自评得分与执行率（分箱计数）
-- answers: 按执行率（每 5 个百分点）与自评得分（每 2 分）分箱的评价对象数，用于看“高分低执行”的集中程度
-- grain: one row per (execution-rate bin, score bin) with at least one evaluation that has both
-- 执行率取计算值，没有时取报告所写值；超过 150% 的计入 150 一箱。箱以下界标示：执行率 85 = [85, 90)，得分 92 = [92, 94)。
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH scored AS (
    SELECT
        least(floor(coalesce(execution_rate, execution_rate_reported) / 5) * 5, 150) AS rate_bin,
        floor(total_score / 2) * 2 AS score_bin
    FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope)
    WHERE total_score IS NOT NULL
      AND coalesce(execution_rate, execution_rate_reported) IS NOT NULL
)

SELECT
    rate_bin AS "执行率（%）",
    score_bin AS "自评得分",
    count(*) AS "评价对象数"
FROM scored
GROUP BY ALL
ORDER BY "执行率（%）", "自评得分"
