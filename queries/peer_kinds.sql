-- title: 同类部门分组
-- answers: 按名称归类的部门类别（如各地的财政局、大数据局）：每类有几个部门、分布在几个地区、哪些部门；归类规则见 department_kinds.rule，可在 data/department_kinds.csv 中指定
-- grain: one row per department kind
SELECT
    k.kind AS "部门类别",
    count(DISTINCT k.department) AS "部门数",
    count(DISTINCT r.region_code) AS "地区数",
    count(DISTINCT r.report_id) AS "报告数",
    string_agg(DISTINCT k.department, '、' ORDER BY k.department) AS "部门（单位）"
FROM department_kinds AS k
JOIN reports AS r ON r.department = k.department AND r.in_default_view
GROUP BY k.kind
ORDER BY "地区数" DESC, "部门数" DESC, "部门类别"
