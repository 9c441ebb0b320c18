-- title: 筛选项
-- answers: 仓库中出现的省、地级行政区、县级行政区、部门、年度、文档类型与口径范围（部门/单位）组合，供筛选框级联使用；图表中的地区简称，供点击图表时识别地区
-- grain: one row per (province, prefecture, county, department, fiscal_year, doc_type, scope) present in reports
SELECT DISTINCT
    r.province,
    r.prefecture,
    r.department,
    r.fiscal_year,
    r.doc_type,
    r.county,
    r.scope,
    region_label(g.label, r.county, r.prefecture, r.province) AS region_label
FROM reports AS r
LEFT JOIN region_labels AS g ON g.adcode = r.region_code
ORDER BY
    r.province NULLS LAST, r.prefecture NULLS LAST, r.county NULLS LAST, r.department NULLS LAST,
    r.fiscal_year, r.doc_type, r.scope
