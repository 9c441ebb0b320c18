-- title: 筛选项
-- answers: 仓库中出现的省、地级行政区、部门、年度与文档类型组合，供筛选框级联使用
-- grain: one row per (province, prefecture, department, fiscal_year, doc_type) present in reports
SELECT DISTINCT
    province,
    prefecture,
    department,
    fiscal_year,
    doc_type
FROM reports
ORDER BY province NULLS LAST, prefecture NULLS LAST, department NULLS LAST, fiscal_year, doc_type
