-- title: 筛选项
-- answers: 仓库中出现的省、地级行政区与年度组合，供筛选框级联使用
-- grain: one row per (province, prefecture, fiscal_year) present in reports
SELECT DISTINCT
    province,
    prefecture,
    fiscal_year
FROM reports
ORDER BY province NULLS LAST, prefecture NULLS LAST, fiscal_year
