-- Marts: views over the fact tables that the pages and analysts query, and the one macro that
-- applies the dashboard filters. Staging is the fact tables themselves (already renamed and
-- cast by extraction); these views join and derive, nothing more.
-- report_summary and evaluation_detail are stored as tables of the same name, columns and
-- comments at the end of every build (fiscallens/marts.py): every page query reads them, and
-- computing them per query cost tens to hundreds of ms at 100k reports. The Parquet export
-- recreates them from the definitions below as views.

-- The dashboard filter, in one place: whether a row with these report attributes passes it. Every
-- filter argument NULL = no filter. The table macros below apply it to reports and to the marts.
CREATE MACRO report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county) AS
    (_province IS NULL OR province = _province)
    AND (_prefecture IS NULL OR prefecture = _prefecture)
    AND (_department IS NULL OR department = _department)
    AND (_year_from IS NULL OR fiscal_year >= _year_from)
    AND (_year_to IS NULL OR fiscal_year <= _year_to)
    AND (_doc_type IS NULL OR doc_type = _doc_type)
    AND (_county IS NULL OR county = _county);

-- The scope filter (部门/单位) of the dashboards: by default (NULL) each disclosure once
-- (reports.in_default_view: the 部门 report where a 部门 and a 单位 report of one body and year exist,
-- version 1 of several versions); a scope ('department', 'unit', 'project') = version 1 of every report of it, so
-- choosing 单位 shows the unit reports a department's report already contains.
CREATE MACRO in_scope_view(_scope, report_scope, report_version, in_default_view) AS
    (_scope IS NULL AND in_default_view) OR (report_scope = _scope AND report_version = 1);

-- The region a chart groups a row under, one level below the filter: provinces when no province is
-- chosen, prefectures within a chosen province, the finest region (its short label) within a chosen
-- prefecture or department. The filters come prefecture, department, province: a named query's
-- parameters are offered in the order of their first use, and the queries using this kept that order.
CREATE MACRO region_below_filter(_prefecture, _department, _province, province, prefecture, region_label) AS
    CASE
        WHEN _prefecture IS NOT NULL OR _department IS NOT NULL THEN region_label
        WHEN _province IS NOT NULL THEN coalesce(prefecture, region_label)
        ELSE coalesce(province, region_label)
    END;

-- The name a row's region is shown by: its finest region (region_name), or the short label that
-- charts use (region_label), both with one wording for a report whose region was not recognised.
CREATE MACRO region_name(county, prefecture, province) AS
    coalesce(county, prefecture, province, '（地区未识别）');
CREATE MACRO region_label(label, county, prefecture, province) AS
    coalesce(label, county, prefecture, province, '（地区未识别）');

-- The region a report is drawn in on a map of one level (province / prefecture / county): a province is the
-- code's first 2 digits + 0000; a prefecture its first 4 + 00, except a county directly under its province
-- (429004 仙桃市), drawn as itself; a county only its own code. NULL: the report sits above the level shown.
CREATE MACRO map_adcode(_level, region_code, region_level, parent_code) AS
    CASE coalesce(_level, 'province')
        WHEN 'province' THEN left(region_code, 2) || '0000'
        WHEN 'prefecture' THEN CASE
            WHEN region_level = 'county' AND parent_code = left(region_code, 2) || '0000' THEN region_code
            WHEN region_level IN ('county', 'prefecture') THEN left(region_code, 4) || '00'
        END
        WHEN 'county' THEN CASE WHEN region_level = 'county' THEN region_code END
    END;

-- A report's 三公 total (an aggregate over its three_public rows): the printed 合计 row, or the sum of the
-- three items when the report prints no 合计.
CREATE MACRO three_public_amount(item, amount) AS
    coalesce(
        max(CASE WHEN item = 'total' THEN amount END),
        sum(CASE WHEN item IN ('outbound', 'reception', 'vehicle_total') THEN amount END)
    );

-- A report's main evaluated unit, whose figures and score stand for the report: the project of a
-- project self-evaluation, the department otherwise (report_summary; derive.sql's reports.total_score).
CREATE MACRO main_unit_scope(doc_type) AS
    CASE WHEN doc_type = 'project_self_eval' THEN 'project' ELSE 'department' END;

-- grain: one row per report that passes the filter
-- Dashboards count each disclosure once: a 部门 report already contains its 单位s, and a later
-- version repeats version 1, so only reports.in_default_view rows are selected unless a scope
-- (部门/单位) is chosen (in_scope_view).
CREATE MACRO selected_reports(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT report_id
    FROM reports
    WHERE in_scope_view(_scope, scope, version, in_default_view)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);

-- The same filter over every report, 单位 reports and later versions included (报告目录, findings).
-- grain: one row per report that passes the filter
CREATE MACRO matching_reports(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT report_id
    FROM reports
    WHERE (_scope IS NULL OR scope = _scope)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);

-- Short labels for charts: 黔南州 rather than 黔南布依族苗族自治州; other names as they are.
-- grain: one row per region
CREATE VIEW region_labels AS
SELECT
    adcode,
    CASE
        WHEN name LIKE '%自治州' AND len(list_filter(short_names, lambda x: x LIKE '%州')) > 0
            THEN list_sort(list_filter(short_names, lambda x: x LIKE '%州'), 'ASC')[1]
        ELSE name
    END AS label
FROM regions;
COMMENT ON VIEW region_labels IS '地区简称（图表用）：自治州用“某某州”，其余用全称';
COMMENT ON COLUMN region_labels.adcode IS '行政区划代码';
COMMENT ON COLUMN region_labels.label IS '图表中显示的地区名称';

-- grain: one row per report, with the figures of its main evaluated unit
-- (the project of a project self-evaluation, the department otherwise)
CREATE VIEW report_summary AS
WITH main_unit AS (
    SELECT
        e.*,
        row_number() OVER (PARTITION BY e.report_id ORDER BY e.budget_full_year DESC NULLS LAST) AS rank_in_report
    FROM evaluations AS e
    JOIN reports AS r USING (report_id)
    WHERE e.scope = main_unit_scope(r.doc_type)
)

SELECT
    r.report_id,
    r.doc_type,
    r.province,
    r.prefecture,
    r.county,
    r.region_code,
    region_name(r.county, r.prefecture, r.province) AS region_name,
    region_label(g.label, r.county, r.prefecture, r.province) AS region_label,
    r.department,
    r.project_name,
    r.fiscal_year,
    r.scope,
    r.version,
    r.in_default_view,
    m.evaluation_id,
    m.budget_initial,
    m.budget_full_year,
    m.actual,
    m.execution_rate,
    m.execution_rate_reported,
    CASE WHEN m.budget_initial > 0 THEN round(m.actual / m.budget_initial * 100, 4) END AS execution_rate_initial,
    r.total_score,
    r.grade,
    r.grade_derived
FROM reports AS r
LEFT JOIN main_unit AS m ON m.report_id = r.report_id AND m.rank_in_report = 1
LEFT JOIN region_labels AS g ON g.adcode = r.region_code;
COMMENT ON VIEW report_summary IS '报告汇总：每份报告一行，取其主要评价对象（项目自评取项目，其余取部门整体）的预算、执行与得分（每次构建时物化为表）';
COMMENT ON COLUMN report_summary.report_id IS '报告标识';
COMMENT ON COLUMN report_summary.doc_type IS '文档类型';
COMMENT ON COLUMN report_summary.province IS '省级行政区';
COMMENT ON COLUMN report_summary.prefecture IS '地级行政区';
COMMENT ON COLUMN report_summary.county IS '县级行政区';
COMMENT ON COLUMN report_summary.region_code IS '行政区划代码';
COMMENT ON COLUMN report_summary.region_name IS '最细一级地区名称';
COMMENT ON COLUMN report_summary.region_label IS '图表中显示的地区简称';
COMMENT ON COLUMN report_summary.department IS '部门（单位）';
COMMENT ON COLUMN report_summary.project_name IS '项目名称';
COMMENT ON COLUMN report_summary.fiscal_year IS '资金年度';
COMMENT ON COLUMN report_summary.scope IS '口径范围：department 部门 | unit 单位 | project 项目';
COMMENT ON COLUMN report_summary.version IS '版本（同一报告有数字不同的文件时）';
COMMENT ON COLUMN report_summary.in_default_view IS '是否计入看板汇总（部门与单位并存时只计部门，多个版本只计版本 1）';
COMMENT ON COLUMN report_summary.evaluation_id IS '主要评价对象标识';
COMMENT ON COLUMN report_summary.budget_initial IS '年初预算数（万元）';
COMMENT ON COLUMN report_summary.budget_full_year IS '全年预算数（万元）';
COMMENT ON COLUMN report_summary.actual IS '全年执行数（万元）';
COMMENT ON COLUMN report_summary.execution_rate IS '执行率（%）= 执行数 ÷ 全年预算数';
COMMENT ON COLUMN report_summary.execution_rate_reported IS '报告所写执行率（%）';
COMMENT ON COLUMN report_summary.execution_rate_initial IS '相对年初预算的完成率（%）= 执行数 ÷ 年初预算数';
COMMENT ON COLUMN report_summary.total_score IS '自评总分';
COMMENT ON COLUMN report_summary.grade IS '等级';
COMMENT ON COLUMN report_summary.grade_derived IS '等级是否按分数段推定';

-- grain: one row per evaluated unit (department, project, sub-project) with its report's attributes
CREATE VIEW evaluation_detail AS
SELECT
    e.evaluation_id,
    e.report_id,
    e.scope,
    e.name,
    e.parent_evaluation_id,
    r.doc_type,
    r.province,
    r.prefecture,
    r.county,
    region_name(r.county, r.prefecture, r.province) AS region_name,
    region_label(g.label, r.county, r.prefecture, r.province) AS region_label,
    r.department,
    r.fiscal_year,
    r.scope AS report_scope,
    r.version AS report_version,
    r.in_default_view,
    e.budget_initial,
    e.budget_full_year,
    e.actual,
    e.execution_rate,
    e.execution_rate_reported,
    CASE WHEN e.budget_full_year IS NOT NULL AND e.actual IS NOT NULL THEN e.budget_full_year - e.actual END AS shortfall,
    e.total_score,
    e.grade,
    e.source_file,
    e.source_line
FROM evaluations AS e
JOIN reports AS r USING (report_id)
LEFT JOIN region_labels AS g ON g.adcode = r.region_code;
COMMENT ON VIEW evaluation_detail IS '评价对象明细：每个部门整体、项目、子项目一行，附所属报告的地区、部门、年度（每次构建时物化为表）';
COMMENT ON COLUMN evaluation_detail.evaluation_id IS '评价对象标识';
COMMENT ON COLUMN evaluation_detail.report_id IS '所属报告';
COMMENT ON COLUMN evaluation_detail.scope IS '范围：department | project | subproject';
COMMENT ON COLUMN evaluation_detail.name IS '名称';
COMMENT ON COLUMN evaluation_detail.parent_evaluation_id IS '上级评价对象（子项目所属项目）';
COMMENT ON COLUMN evaluation_detail.doc_type IS '文档类型';
COMMENT ON COLUMN evaluation_detail.province IS '省级行政区';
COMMENT ON COLUMN evaluation_detail.prefecture IS '地级行政区';
COMMENT ON COLUMN evaluation_detail.county IS '县级行政区';
COMMENT ON COLUMN evaluation_detail.region_name IS '最细一级地区名称';
COMMENT ON COLUMN evaluation_detail.region_label IS '图表中显示的地区简称';
COMMENT ON COLUMN evaluation_detail.department IS '部门（单位）';
COMMENT ON COLUMN evaluation_detail.fiscal_year IS '资金年度';
COMMENT ON COLUMN evaluation_detail.report_scope IS '所属报告的口径范围：department 部门 | unit 单位 | project 项目';
COMMENT ON COLUMN evaluation_detail.report_version IS '所属报告的版本';
COMMENT ON COLUMN evaluation_detail.in_default_view IS '所属报告是否计入看板汇总';
COMMENT ON COLUMN evaluation_detail.budget_initial IS '年初预算数（万元）';
COMMENT ON COLUMN evaluation_detail.budget_full_year IS '全年预算数（万元）';
COMMENT ON COLUMN evaluation_detail.actual IS '全年执行数（万元）';
COMMENT ON COLUMN evaluation_detail.execution_rate IS '执行率（%）';
COMMENT ON COLUMN evaluation_detail.execution_rate_reported IS '报告所写执行率（%）';
COMMENT ON COLUMN evaluation_detail.shortfall IS '未执行金额（万元）= 全年预算数 − 执行数';
COMMENT ON COLUMN evaluation_detail.total_score IS '自评总分';
COMMENT ON COLUMN evaluation_detail.grade IS '等级';
COMMENT ON COLUMN evaluation_detail.source_file IS '来源文件';
COMMENT ON COLUMN evaluation_detail.source_line IS '来源行号';

-- The same filter on the marts' own columns (report_summary and evaluation_detail carry the report's
-- province, prefecture, department, fiscal_year and doc_type): the same rows as joining them with
-- selected_reports(...), at half the cost at 100k reports (no semi-join on report_id).
-- grain: one row of report_summary per report that passes the filter
CREATE MACRO selected_summary(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT *
    FROM report_summary
    WHERE in_scope_view(_scope, scope, version, in_default_view)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);

-- grain: one row of evaluation_detail per evaluated unit whose report passes the filter
CREATE MACRO selected_evaluations(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT *
    FROM evaluation_detail
    WHERE in_scope_view(_scope, report_scope, report_version, in_default_view)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);

-- grain: one row per report (every row of report_summary), with the measures that the ranking, peer and
-- trend queries compare and sum: the report's own basis (部门预算 → budget, any other report → actual), its
-- 三公 total of its own year and its class-level (类) spending totals on that basis. Computed once per
-- build (stored as a table like report_summary) instead of in every ranking_*, peer_compare,
-- department_trend and budget_vs_actual query.
CREATE VIEW report_measures AS
WITH own AS (
    SELECT report_id, fiscal_year, CASE WHEN doc_type = 'budget' THEN 'budget' ELSE 'actual' END AS own_basis
    FROM reports
),

three AS (
    -- The report's own year, as printed (not the prior year derived from a 同比 sentence of the next
    -- year's report); the 合计 row, else the sum of the items.
    SELECT
        t.report_id,
        any_value(t.basis) AS basis,
        three_public_amount(t.item, coalesce(t.actual, t.budget)) AS amount
    FROM three_public AS t
    JOIN own AS o ON o.report_id = t.report_id AND o.fiscal_year = t.fiscal_year
    WHERE NOT t.derived
    GROUP BY t.report_id
),

spend AS (
    -- Class-level (类, 3-digit) rows on the report's own basis: their sum is the report's spending.
    SELECT f.report_id, sum(f.total) AS total, sum(f.basic) AS basic, sum(f.project) AS project
    FROM function_spending AS f
    JOIN own AS o ON o.report_id = f.report_id AND o.own_basis = f.basis
    WHERE length(f.code) = 3
    GROUP BY f.report_id
)

SELECT
    s.report_id,
    s.doc_type,
    s.province,
    s.prefecture,
    s.county,
    s.region_code,
    s.region_name,
    s.region_label,
    s.department,
    s.project_name,
    s.fiscal_year,
    s.scope,
    s.version,
    s.in_default_view,
    s.budget_initial,
    s.budget_full_year,
    s.actual,
    s.execution_rate,
    s.execution_rate_reported,
    s.total_score,
    s.grade,
    o.own_basis,
    t.amount AS three_public_amount,
    t.basis AS three_public_basis,
    p.total AS spending_total,
    p.basic AS spending_basic,
    p.project AS spending_project
FROM report_summary AS s
JOIN own AS o USING (report_id)
LEFT JOIN three AS t USING (report_id)
LEFT JOIN spend AS p USING (report_id);
COMMENT ON VIEW report_measures IS '报告指标：每份报告一行，附其口径（部门预算取预算数，其余取决算数）、当年“三公”经费合计与功能分类“类”级支出合计，供排名、同类部门对比与逐年变化使用（每次构建时物化为表）';
COMMENT ON COLUMN report_measures.report_id IS '报告标识';
COMMENT ON COLUMN report_measures.doc_type IS '文档类型';
COMMENT ON COLUMN report_measures.province IS '省级行政区';
COMMENT ON COLUMN report_measures.prefecture IS '地级行政区';
COMMENT ON COLUMN report_measures.county IS '县级行政区';
COMMENT ON COLUMN report_measures.region_code IS '行政区划代码';
COMMENT ON COLUMN report_measures.region_name IS '最细一级地区名称';
COMMENT ON COLUMN report_measures.region_label IS '图表中显示的地区简称';
COMMENT ON COLUMN report_measures.department IS '部门（单位）';
COMMENT ON COLUMN report_measures.project_name IS '项目名称';
COMMENT ON COLUMN report_measures.fiscal_year IS '资金年度';
COMMENT ON COLUMN report_measures.scope IS '口径范围：department 部门 | unit 单位 | project 项目';
COMMENT ON COLUMN report_measures.version IS '版本（同一报告有数字不同的文件时）';
COMMENT ON COLUMN report_measures.in_default_view IS '是否计入看板汇总（部门与单位并存时只计部门，多个版本只计版本 1）';
COMMENT ON COLUMN report_measures.budget_initial IS '主要评价对象的年初预算数（万元）';
COMMENT ON COLUMN report_measures.budget_full_year IS '主要评价对象的全年预算数（万元）';
COMMENT ON COLUMN report_measures.actual IS '主要评价对象的全年执行数（万元）';
COMMENT ON COLUMN report_measures.execution_rate IS '执行率（%）= 执行数 ÷ 全年预算数';
COMMENT ON COLUMN report_measures.execution_rate_reported IS '报告所写执行率（%）';
COMMENT ON COLUMN report_measures.total_score IS '自评总分';
COMMENT ON COLUMN report_measures.grade IS '等级';
COMMENT ON COLUMN report_measures.own_basis IS '报告的口径：budget 预算数（部门预算）| actual 决算（执行）数（其余报告）';
COMMENT ON COLUMN report_measures.three_public_amount IS '报告当年“三公”经费合计（万元，原文数：合计行，无合计行时为分项之和；无“三公”表为空）';
COMMENT ON COLUMN report_measures.three_public_basis IS '“三公”经费合计的口径：budget 预算数 | actual 决算数';
COMMENT ON COLUMN report_measures.spending_total IS '支出合计（万元，功能分类“类”级科目之和，按报告的口径；无功能分类表为空）';
COMMENT ON COLUMN report_measures.spending_basic IS '基本支出（万元，同上）';
COMMENT ON COLUMN report_measures.spending_project IS '项目支出（万元，同上）';

-- grain: one row per three_public row (a 三公 figure of one year, item and basis in one report), with its
-- report's filter columns: fiscal_year is the report's year, as in the other marts (the filters apply to
-- it), figure_year the year the figure is for (the year before, for a figure derived from a 同比 sentence).
-- The 三公 charts count one figure per department, year, item and basis: a figure printed in a report
-- and the same figure derived from next year's report are the same money. `preference` orders the rows
-- for that choice (arg_min): printed before derived, then the 部门决算's figure, then by report — so
-- two reports printing different figures for one department and year give one answer on every run.
CREATE VIEW three_public_detail AS
SELECT
    t.report_id,
    s.doc_type,
    s.province,
    s.prefecture,
    s.county,
    s.region_code,
    s.region_label,
    s.department,
    s.fiscal_year,
    s.scope,
    s.version,
    s.in_default_view,
    t.fiscal_year AS figure_year,
    t.item,
    t.basis,
    t.budget,
    t.actual,
    t.derived,
    row_number() OVER (
        ORDER BY t.derived, s.doc_type <> 'final_accounts', t.report_id, t.fiscal_year, t.item, t.basis, t.source_line
    ) AS preference
FROM three_public AS t
JOIN report_summary AS s USING (report_id);
COMMENT ON VIEW three_public_detail IS '“三公”经费明细：每个数字一行（一份报告中某年度、某分项、某口径），附所属报告的地区、部门、年度与筛选字段（每次构建时物化为表）';
COMMENT ON COLUMN three_public_detail.report_id IS '所属报告';
COMMENT ON COLUMN three_public_detail.doc_type IS '所属报告的文档类型';
COMMENT ON COLUMN three_public_detail.province IS '省级行政区';
COMMENT ON COLUMN three_public_detail.prefecture IS '地级行政区';
COMMENT ON COLUMN three_public_detail.county IS '县级行政区';
COMMENT ON COLUMN three_public_detail.region_code IS '行政区划代码';
COMMENT ON COLUMN three_public_detail.region_label IS '图表中显示的地区简称';
COMMENT ON COLUMN three_public_detail.department IS '部门（单位）';
COMMENT ON COLUMN three_public_detail.fiscal_year IS '所属报告的资金年度（筛选按此年度）';
COMMENT ON COLUMN three_public_detail.scope IS '所属报告的口径范围：department 部门 | unit 单位 | project 项目';
COMMENT ON COLUMN three_public_detail.version IS '所属报告的版本';
COMMENT ON COLUMN three_public_detail.in_default_view IS '所属报告是否计入看板汇总';
COMMENT ON COLUMN three_public_detail.figure_year IS '数字所属年度（由同比句推算的上年数为报告年度的上一年）';
COMMENT ON COLUMN three_public_detail.item IS '项目：total 合计 | outbound 因公出国（境） | vehicle_total 公务用车合计 | vehicle_purchase 购置费 | vehicle_operation 运行维护费 | reception 公务接待';
COMMENT ON COLUMN three_public_detail.basis IS '口径：actual 部门决算（同一行含预算数与决算数） | budget 部门预算（只有预算数）';
COMMENT ON COLUMN three_public_detail.budget IS '预算数（万元）';
COMMENT ON COLUMN three_public_detail.actual IS '决算数（万元）';
COMMENT ON COLUMN three_public_detail.derived IS '是否由同比句推算（非原文数）';
COMMENT ON COLUMN three_public_detail.preference IS '同一部门同一年度有多个数字时的取数顺序（小者优先：原文数先于推算数，部门决算先于其他报告）';

-- grain: one row of report_measures per report that passes the filter (the same conditions as
-- selected_summary)
CREATE MACRO selected_measures(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT *
    FROM report_measures
    WHERE in_scope_view(_scope, scope, version, in_default_view)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);

-- grain: one row of three_public_detail per 三公 figure whose report passes the filter
CREATE MACRO selected_three_public(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county, _scope) AS TABLE
    SELECT *
    FROM three_public_detail
    WHERE in_scope_view(_scope, scope, version, in_default_view)
      AND report_filter(_province, _prefecture, _department, _year_from, _year_to, _doc_type, _county);
