-- FiscalLens warehouse contract. Amounts in 万元 (DOUBLE); rates in percent (98.78 = 98.78%).
-- Every table carries report_id; fact tables carry source_file + source_line (1-based),
-- and source_page for paginated inputs, so every number traces back to its text.

CREATE TABLE meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
COMMENT ON TABLE meta IS '仓库元数据：结构版本、抽取程序版本、构建时间';
COMMENT ON COLUMN meta.key IS '键';
COMMENT ON COLUMN meta.value IS '值';

CREATE TABLE documents (
    document_id VARCHAR PRIMARY KEY,
    report_id VARCHAR,
    source_file VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size_bytes BIGINT,
    encoding VARCHAR,
    file_format VARCHAR,
    doc_type VARCHAR,
    title VARCHAR,
    title_line INTEGER,
    fiscal_year INTEGER,
    region_code VARCHAR,
    province VARCHAR,
    prefecture VARCHAR,
    county VARCHAR,
    department VARCHAR,
    project_name VARCHAR,
    scope VARCHAR,
    published_on VARCHAR,
    content_markers VARCHAR[],
    line_count INTEGER,
    ingested_at TIMESTAMP
);
COMMENT ON TABLE documents IS '已读取的源文件：一个文件一行；一份报告可由多个文件组成（如报告正文与其附件1）';
COMMENT ON COLUMN documents.document_id IS '文件标识（即文件内容的 SHA-256）';
COMMENT ON COLUMN documents.report_id IS '所属报告标识，未识别出报告类型时为空';
COMMENT ON COLUMN documents.source_file IS '源文件路径';
COMMENT ON COLUMN documents.file_name IS '源文件名';
COMMENT ON COLUMN documents.sha256 IS '文件内容的 SHA-256，相同内容只入库一次';
COMMENT ON COLUMN documents.size_bytes IS '文件大小（字节）';
COMMENT ON COLUMN documents.encoding IS '识别出的文字编码（utf-8、gb18030、utf-16 等）；PDF、Word、Excel 文件为空字符串';
COMMENT ON COLUMN documents.file_format IS '文件格式（txt、md、html、pdf、docx、xlsx、xls 等）';
COMMENT ON COLUMN documents.doc_type IS '文档类型，取值同 reports.doc_type';
COMMENT ON COLUMN documents.title IS '识别出的标题';
COMMENT ON COLUMN documents.title_line IS '标题所在行号（从 1 开始）';
COMMENT ON COLUMN documents.fiscal_year IS '识别出的资金年度';
COMMENT ON COLUMN documents.region_code IS '识别出的行政区划代码';
COMMENT ON COLUMN documents.province IS '省级行政区';
COMMENT ON COLUMN documents.prefecture IS '地级行政区';
COMMENT ON COLUMN documents.county IS '县级行政区';
COMMENT ON COLUMN documents.department IS '识别出的部门（单位）名称，按原文';
COMMENT ON COLUMN documents.project_name IS '项目名称';
COMMENT ON COLUMN documents.scope IS '口径范围：department 部门（含所属单位） | unit 单位（本单位） | project 项目，取值同 reports.scope';
COMMENT ON COLUMN documents.published_on IS '填报/报告日期';
COMMENT ON COLUMN documents.content_markers IS '文中出现的关键部分（如 score 得分、three_public 三公明细），用于判断报告是否完整';
COMMENT ON COLUMN documents.line_count IS '文件行数（PDF、Word、Excel 为转成文本后的行数：段落一行，表格每行一行、单元格以制表符分隔）';
COMMENT ON COLUMN documents.ingested_at IS '入库时间（UTC）';

CREATE TABLE reports (
    report_id VARCHAR PRIMARY KEY,
    doc_type VARCHAR NOT NULL,
    province VARCHAR,
    prefecture VARCHAR,
    county VARCHAR,
    region_code VARCHAR,
    department VARCHAR,
    project_name VARCHAR,
    scope VARCHAR,
    fiscal_year INTEGER,
    version INTEGER DEFAULT 1,
    in_default_view BOOLEAN DEFAULT true,
    published_on VARCHAR,
    source_files VARCHAR[],
    title VARCHAR,
    total_score DOUBLE,
    grade VARCHAR,
    grade_derived BOOLEAN
);
COMMENT ON TABLE reports IS '报告：一个部门（或项目）一个年度的一份预算、决算、绩效自评或绩效评价报告';
COMMENT ON COLUMN reports.report_id IS '报告标识（由类型、口径范围、地区、部门、年度、项目名生成，重复构建保持不变）';
COMMENT ON COLUMN reports.doc_type IS '文档类型：final_accounts 部门决算 | dept_self_eval 部门整体支出绩效自评 | dept_evaluation 部门整体绩效评价 | project_self_eval 项目支出绩效自评 | budget 部门预算（单位预算）';
COMMENT ON COLUMN reports.province IS '省级行政区全称';
COMMENT ON COLUMN reports.prefecture IS '地级行政区全称（市/州/地区/盟）';
COMMENT ON COLUMN reports.county IS '县级行政区全称（县/区/县级市/旗），部门属地级时为空';
COMMENT ON COLUMN reports.region_code IS '已知最细一级行政区划代码（6 位，GB/T 2260）';
COMMENT ON COLUMN reports.department IS '部门（单位）名称，按报告原文';
COMMENT ON COLUMN reports.project_name IS '项目名称（仅项目支出绩效自评）';
COMMENT ON COLUMN reports.scope IS '口径范围：department 部门（预算主管部门，含所属单位，汇总数） | unit 单位（预算单位本身） | project 项目（项目支出绩效自评）；部门数已包含其单位，二者不可相加';
COMMENT ON COLUMN reports.fiscal_year IS '资金所属年度（不是发布年份）';
COMMENT ON COLUMN reports.in_default_view IS '是否在看板的汇总中计入：同一部门、年度、类型既有部门（汇总）又有单位报告时只计部门，有多个版本时只计版本 1，避免重复相加；报告目录列出全部';
COMMENT ON COLUMN reports.version IS '版本：同一部门、年度、类型、口径的文件数字不同时各自成为一个版本（1、2 …），并有一条发现说明';
COMMENT ON COLUMN reports.published_on IS '填报/报告日期，按原文精度（YYYY-MM 或 YYYY-MM-DD）';
COMMENT ON COLUMN reports.source_files IS '组成该报告的源文件列表';
COMMENT ON COLUMN reports.title IS '报告标题';
COMMENT ON COLUMN reports.total_score IS '自评总分（满分 100）';
COMMENT ON COLUMN reports.grade IS '等级：优 / 良 / 中 / 差（原文未写时按分数段推定）';
COMMENT ON COLUMN reports.grade_derived IS '等级是否按分数段推定（true）而非原文所写（false）';

CREATE TABLE evaluations (
    evaluation_id VARCHAR PRIMARY KEY,
    report_id VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    parent_evaluation_id VARCHAR,
    name VARCHAR,
    function_code VARCHAR,
    budget_initial DOUBLE,
    budget_full_year DOUBLE,
    actual DOUBLE,
    execution_rate DOUBLE,
    execution_rate_reported DOUBLE,
    execution_weight DOUBLE,
    execution_score DOUBLE,
    total_score DOUBLE,
    grade VARCHAR,
    grade_derived BOOLEAN,
    shortfall_reason VARCHAR,
    shortfall_reason_source VARCHAR,
    shortfall_reason_line INTEGER,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE evaluations IS '评价对象：报告中被评价的部门整体、项目或子项目，一个对象一行';
COMMENT ON COLUMN evaluations.evaluation_id IS '评价对象标识';
COMMENT ON COLUMN evaluations.report_id IS '所属报告';
COMMENT ON COLUMN evaluations.scope IS '范围：department 部门整体 | project 项目 | subproject 子项目';
COMMENT ON COLUMN evaluations.parent_evaluation_id IS '子项目所属项目的评价对象标识';
COMMENT ON COLUMN evaluations.name IS '部门或项目名称';
COMMENT ON COLUMN evaluations.function_code IS '支出功能分类科目编码（如有）';
COMMENT ON COLUMN evaluations.budget_initial IS '年初预算数（万元）';
COMMENT ON COLUMN evaluations.budget_full_year IS '全年预算数/调整后预算（万元）';
COMMENT ON COLUMN evaluations.actual IS '全年执行数/实际支出（万元）';
COMMENT ON COLUMN evaluations.execution_rate IS '执行率（%）= 全年执行数 ÷ 全年预算数，由本系统计算';
COMMENT ON COLUMN evaluations.execution_rate_reported IS '报告原文所写执行率（%）';
COMMENT ON COLUMN evaluations.execution_weight IS '预算执行率指标分值';
COMMENT ON COLUMN evaluations.execution_score IS '预算执行率指标得分';
COMMENT ON COLUMN evaluations.total_score IS '该对象自评总分';
COMMENT ON COLUMN evaluations.grade IS '该对象等级：优 / 良 / 中 / 差（原文未写时按分数段推定）';
COMMENT ON COLUMN evaluations.grade_derived IS '等级是否按分数段推定（true）而非原文所写（false）';
COMMENT ON COLUMN evaluations.shortfall_reason IS '报告原文所写的偏差原因（执行偏离预算的原因，按原文，超长时在句末截断）；原文未写为空';
COMMENT ON COLUMN evaluations.shortfall_reason_source IS '偏差原因的出处：文件名、行号（PDF 另有页码），如“报告.pdf 第 12 行（第 3 页）”';
COMMENT ON COLUMN evaluations.shortfall_reason_line IS '偏差原因的来源行号（在 shortfall_reason_source 所写的文件中）';
COMMENT ON COLUMN evaluations.source_file IS '来源文件';
COMMENT ON COLUMN evaluations.source_line IS '来源行号（从 1 开始）';
COMMENT ON COLUMN evaluations.source_page IS '来源页码（PDF 等分页文件）';

CREATE TABLE execution_lines (
    evaluation_id VARCHAR NOT NULL,
    report_id VARCHAR NOT NULL,
    line VARCHAR NOT NULL,
    label VARCHAR,
    budget_initial DOUBLE,
    budget_full_year DOUBLE,
    actual DOUBLE,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE execution_lines IS '资金明细：评价对象的资金来源/构成行（年度资金总额、基本支出、项目支出、上年结转等）';
COMMENT ON COLUMN execution_lines.evaluation_id IS '所属评价对象';
COMMENT ON COLUMN execution_lines.report_id IS '所属报告';
COMMENT ON COLUMN execution_lines.line IS '行类别：total 年度资金总额/支出合计 | basic 基本支出 | project 项目支出 | carryover 结转资金（上年结转，或年末结转结余，见 label） | fiscal 财政拨款（其中项） | other 其他资金 | income 收入合计';
COMMENT ON COLUMN execution_lines.label IS '原文行名';
COMMENT ON COLUMN execution_lines.budget_initial IS '年初预算数（万元）';
COMMENT ON COLUMN execution_lines.budget_full_year IS '全年预算数（万元）';
COMMENT ON COLUMN execution_lines.actual IS '全年执行数（万元）';
COMMENT ON COLUMN execution_lines.source_file IS '来源文件';
COMMENT ON COLUMN execution_lines.source_line IS '来源行号';
COMMENT ON COLUMN execution_lines.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE function_spending (
    report_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL DEFAULT 'actual',
    code VARCHAR NOT NULL,
    level VARCHAR,
    name VARCHAR,
    parent_code VARCHAR,
    total DOUBLE,
    basic DOUBLE,
    project DOUBLE,
    budget_initial DOUBLE,
    source_table VARCHAR,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE function_spending IS '按支出功能分类科目的支出（类/款/项）';
COMMENT ON COLUMN function_spending.report_id IS '所属报告';
COMMENT ON COLUMN function_spending.basis IS '口径：actual 决算数（部门决算等） | budget 预算数（部门预算）';
COMMENT ON COLUMN function_spending.code IS '功能分类科目编码（类 3 位、款 5 位、项 7 位）';
COMMENT ON COLUMN function_spending.level IS '科目级次：类 | 款 | 项';
COMMENT ON COLUMN function_spending.name IS '科目名称，按原文';
COMMENT ON COLUMN function_spending.parent_code IS '上级科目编码';
COMMENT ON COLUMN function_spending.total IS '合计（万元）';
COMMENT ON COLUMN function_spending.basic IS '基本支出（万元）';
COMMENT ON COLUMN function_spending.project IS '项目支出（万元）';
COMMENT ON COLUMN function_spending.budget_initial IS '年初预算数（万元，原文给出时）';
COMMENT ON COLUMN function_spending.source_table IS '来源表名（如 支出决算表）';
COMMENT ON COLUMN function_spending.source_file IS '来源文件';
COMMENT ON COLUMN function_spending.source_line IS '来源行号（PDF 等为转成文本后的行号，页码见 source_page）';
COMMENT ON COLUMN function_spending.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE economic_spending (
    report_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL DEFAULT 'actual',
    code VARCHAR NOT NULL,
    name VARCHAR,
    amount DOUBLE,
    category VARCHAR,
    source_table VARCHAR,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE economic_spending IS '按经济分类科目的基本支出明细（人员经费、公用经费）';
COMMENT ON COLUMN economic_spending.report_id IS '所属报告';
COMMENT ON COLUMN economic_spending.basis IS '口径：actual 决算数 | budget 预算数';
COMMENT ON COLUMN economic_spending.code IS '经济分类科目编码（如 30101 基本工资）；合计行：personnel 人员经费合计 | public 公用经费合计 | operating 机关运行经费（行政单位一般公共预算安排的日常公用经费，与公用经费合计口径相近，不要与之相加）';
COMMENT ON COLUMN economic_spending.name IS '科目名称，按原文';
COMMENT ON COLUMN economic_spending.amount IS '金额（万元）';
COMMENT ON COLUMN economic_spending.category IS '类别：personnel 人员经费 | public 公用经费 | capital 资本性支出 | other 其他';
COMMENT ON COLUMN economic_spending.source_table IS '来源表名';
COMMENT ON COLUMN economic_spending.source_file IS '来源文件';
COMMENT ON COLUMN economic_spending.source_line IS '来源行号';
COMMENT ON COLUMN economic_spending.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE three_public (
    report_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL DEFAULT 'actual',
    fiscal_year INTEGER,
    item VARCHAR NOT NULL,
    budget DOUBLE,
    actual DOUBLE,
    derived BOOLEAN DEFAULT false,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE three_public IS '“三公”经费：因公出国（境）费、公务用车购置及运行维护费、公务接待费';
COMMENT ON COLUMN three_public.report_id IS '所属报告';
COMMENT ON COLUMN three_public.basis IS '口径：actual 部门决算（同一行含预算数与决算数） | budget 部门预算（只有预算数）';
COMMENT ON COLUMN three_public.fiscal_year IS '年度（由同比句推出上年数时为上年）';
COMMENT ON COLUMN three_public.item IS '项目：total 合计 | outbound 因公出国（境） | vehicle_total 公务用车合计 | vehicle_purchase 购置费 | vehicle_operation 运行维护费 | reception 公务接待';
COMMENT ON COLUMN three_public.budget IS '预算数/控制数（万元）';
COMMENT ON COLUMN three_public.actual IS '决算数/实际支出（万元）';
COMMENT ON COLUMN three_public.derived IS '是否由同比增减句推算（true 时非原文直接给出）';
COMMENT ON COLUMN three_public.source_file IS '来源文件';
COMMENT ON COLUMN three_public.source_line IS '来源行号';
COMMENT ON COLUMN three_public.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE indicators (
    evaluation_id VARCHAR NOT NULL,
    report_id VARCHAR NOT NULL,
    level1 VARCHAR,
    level2 VARCHAR,
    level3 VARCHAR,
    target_text VARCHAR,
    actual_text VARCHAR,
    target_value DOUBLE,
    actual_value DOUBLE,
    unit VARCHAR,
    direction VARCHAR,
    weight DOUBLE,
    score DOUBLE,
    shortfall_reason VARCHAR,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE indicators IS '绩效指标：一级/二级/三级指标、指标值、完成值、分值与得分';
COMMENT ON COLUMN indicators.evaluation_id IS '所属评价对象';
COMMENT ON COLUMN indicators.report_id IS '所属报告';
COMMENT ON COLUMN indicators.level1 IS '一级指标（产出/效益/满意度…）';
COMMENT ON COLUMN indicators.level2 IS '二级指标（数量/质量/时效/成本…）';
COMMENT ON COLUMN indicators.level3 IS '三级指标';
COMMENT ON COLUMN indicators.target_text IS '年度指标值，按原文';
COMMENT ON COLUMN indicators.actual_text IS '实际完成值，按原文';
COMMENT ON COLUMN indicators.target_value IS '指标值数值（可量化时）';
COMMENT ON COLUMN indicators.actual_value IS '完成值数值（可量化时）';
COMMENT ON COLUMN indicators.unit IS '单位（%、个、户、万元…）';
COMMENT ON COLUMN indicators.direction IS '方向：>= | <= | = | qualitative 定性';
COMMENT ON COLUMN indicators.weight IS '分值';
COMMENT ON COLUMN indicators.score IS '得分';
COMMENT ON COLUMN indicators.shortfall_reason IS '偏差/未完成原因';
COMMENT ON COLUMN indicators.source_file IS '来源文件';
COMMENT ON COLUMN indicators.source_line IS '来源行号';
COMMENT ON COLUMN indicators.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE totals (
    report_id VARCHAR NOT NULL,
    basis VARCHAR NOT NULL DEFAULT 'actual',
    statement VARCHAR,
    side VARCHAR NOT NULL,
    item VARCHAR NOT NULL,
    label VARCHAR,
    amount DOUBLE,
    source_file VARCHAR,
    source_line INTEGER,
    source_page INTEGER
);
COMMENT ON TABLE totals IS '总表数字：收支总表、收入支出决算总表、财政拨款收支总表等汇总表中的收入来源、支出类别、年初与年末结转结余及总计';
COMMENT ON COLUMN totals.report_id IS '所属报告';
COMMENT ON COLUMN totals.basis IS '口径：actual 决算数 | budget 预算数';
COMMENT ON COLUMN totals.statement IS '来源：all 收支总表（全部资金：收入支出决算总表、部门财务收支预算总表、部门收支总表） | fiscal 财政拨款收支总表 | narrative 文字说明中的全部资金总数（“收入支出总计…万元”“本年收入合计…万元”“收入预算…万元”） | narrative_fiscal 文字说明中的财政拨款总数（“财政拨款收入支出总计…万元”）';
COMMENT ON COLUMN totals.side IS '方向：income 收入 | expenditure 支出';
COMMENT ON COLUMN totals.item IS '项目。合计：grand_total 收入总计/支出总计 | current_total 本年收入合计/本年支出合计（预算文字说明的“收入预算”“支出预算”） | carryover_start 年初结转和结余（上年结转） | carryover_end 年末结转和结余 | reserve_use 使用非财政拨款结余/用事业基金弥补收支差额 | distribution 结余分配。收入来源：fiscal 财政拨款收入 | general_budget 一般公共预算财政拨款（资金） | government_fund 政府性基金预算财政拨款 | state_capital 国有资本经营预算财政拨款 | special_account 财政专户管理资金 | unit_funds 单位资金 | superior_subsidy 上级补助收入 | business 事业收入 | operating 经营收入 | subsidiary_remit 附属单位上缴收入 | other 其他收入。支出：function_201 等 按功能分类的类（编码） | basic 基本支出 | personnel 人员经费 | public 公用经费 | project 项目支出 | superior_remit 上缴上级支出 | operating 经营支出 | subsidiary_subsidy 对附属单位补助支出。结转结余的细分：carryover_start_general_budget、carryover_end_basic 等（结转项 + 下划线 + 项目）。unclassified 认不出的行（见 label）';
COMMENT ON COLUMN totals.label IS '原文行名（文字说明为原句中的片段，如“收入支出总计2995.39万元”）';
COMMENT ON COLUMN totals.amount IS '金额（万元；以元为单位的表已换算）';
COMMENT ON COLUMN totals.source_file IS '来源文件';
COMMENT ON COLUMN totals.source_line IS '来源行号';
COMMENT ON COLUMN totals.source_page IS '来源页码（PDF；文本、Word、Excel 为空）';

CREATE TABLE audit_results (
    report_id VARCHAR NOT NULL,
    rule VARCHAR NOT NULL,
    stage VARCHAR NOT NULL DEFAULT 'check',
    outcome VARCHAR NOT NULL,
    checked INTEGER,
    failed INTEGER
);
COMMENT ON TABLE audit_results IS '稽核结果：每份报告每条规则一行，说明规则是否运行、结果如何';
COMMENT ON COLUMN audit_results.report_id IS '报告';
COMMENT ON COLUMN audit_results.rule IS '规则名（fiscallens/audits/ 下的文件名，或 fiscallens/extract 中 EXTRACTION_RULES 的抽取时规则）';
COMMENT ON COLUMN audit_results.stage IS '规则运行的环节：extract 抽取时（句子与总表核对） | check 入库后的 SQL 稽核';
COMMENT ON COLUMN audit_results.outcome IS '结果：pass 通过 | fail 不通过（有发现） | not_applicable 不适用（该类报告没有这部分） | insufficient_data 数据不足（缺少比较所需的数字，规则未能运行）';
COMMENT ON COLUMN audit_results.checked IS '检查的项数';
COMMENT ON COLUMN audit_results.failed IS '不通过的项数';

CREATE SEQUENCE flag_seq;
CREATE TABLE quality_flags (
    flag_id BIGINT DEFAULT nextval('flag_seq'),
    report_id VARCHAR,
    source_file VARCHAR,
    source_line INTEGER,
    stage VARCHAR,
    rule VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    message VARCHAR NOT NULL
);
COMMENT ON TABLE quality_flags IS '数据质量发现：读不了的文件、自相矛盾的数字、抽取时做出的判断';
COMMENT ON COLUMN quality_flags.flag_id IS '序号';
COMMENT ON COLUMN quality_flags.report_id IS '相关报告（文件未能识别为报告时为空）';
COMMENT ON COLUMN quality_flags.source_file IS '来源文件';
COMMENT ON COLUMN quality_flags.source_line IS '来源行号';
COMMENT ON COLUMN quality_flags.stage IS '发现环节：read 读取 | classify 识别 | extract 抽取 | check 稽核';
COMMENT ON COLUMN quality_flags.rule IS '规则名';
COMMENT ON COLUMN quality_flags.severity IS '严重程度：error 无法读取 | warning 文档自相矛盾或不合填报规则 | info 抽取时所做的判断';
COMMENT ON COLUMN quality_flags.message IS '说明（中文）';

CREATE TABLE regions (
    adcode VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    short_names VARCHAR[],
    level VARCHAR NOT NULL,
    parent_code VARCHAR
);
COMMENT ON TABLE regions IS '行政区划参考表（省、地、县三级），来源见 fiscallens/reference/README.md';
COMMENT ON COLUMN regions.adcode IS '6 位行政区划代码';
COMMENT ON COLUMN regions.name IS '全称';
COMMENT ON COLUMN regions.short_names IS '常用简称（如 黔南州）';
COMMENT ON COLUMN regions.level IS '级别：province 省级 | prefecture 地级 | county 县级';
COMMENT ON COLUMN regions.parent_code IS '上级行政区划代码';

-- Labels of stored codes, loaded from fiscallens/reference/*.csv (Python reads the same files:
-- fiscallens/labels.py).
CREATE TABLE doc_types (
    doc_type VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    unit_label VARCHAR
);
COMMENT ON TABLE doc_types IS '文档类型参考表：类型代码与中文名称';
COMMENT ON COLUMN doc_types.doc_type IS '文档类型代码（reports.doc_type）';
COMMENT ON COLUMN doc_types.label IS '中文名称（如 部门决算）';
COMMENT ON COLUMN doc_types.unit_label IS '单位口径报告的名称（如 单位决算；空 = 与 label 相同）';

CREATE TABLE three_public_items (
    item VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL
);
COMMENT ON TABLE three_public_items IS '“三公”经费项目参考表：项目代码与中文名称';
COMMENT ON COLUMN three_public_items.item IS '项目代码（three_public.item）';
COMMENT ON COLUMN three_public_items.label IS '中文名称（如 公务接待费）';

CREATE TABLE function_codes (
    code VARCHAR PRIMARY KEY,
    name VARCHAR,
    level VARCHAR
);
COMMENT ON TABLE function_codes IS '支出功能分类科目参考表，取自各报告所印科目';
COMMENT ON COLUMN function_codes.code IS '科目编码';
COMMENT ON COLUMN function_codes.name IS '科目名称（取各报告中最完整的写法）';
COMMENT ON COLUMN function_codes.level IS '级次：类 | 款 | 项';

-- Peer groups: the kind of each department, derived from its name at every build (fiscallens/peers.py,
-- after derive.sql), overridden by the users' table data/department_kinds.csv.
CREATE TABLE department_kinds (
    department VARCHAR PRIMARY KEY,
    name_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    rule VARCHAR NOT NULL
);
COMMENT ON TABLE department_kinds IS '部门类别：按名称归类的同类部门（如各地的财政局、大数据局），用于同类部门对比；可在 data/department_kinds.csv 中指定，重新构建后生效';
COMMENT ON COLUMN department_kinds.department IS '部门（单位）名称，按报告原文（reports.department）';
COMMENT ON COLUMN department_kinds.name_key IS '去掉地区名和括号后的部门名称（同一地区同一部门的不同写法取值相同）';
COMMENT ON COLUMN department_kinds.kind IS '部门类别（如 财政局、大数据局、商务委）';
COMMENT ON COLUMN department_kinds.rule IS '归类依据：override 用户指定（data/department_kinds.csv） | synonym 同义名称表 | name 按名称规则';
