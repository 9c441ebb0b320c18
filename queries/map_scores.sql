-- title: 地图：自评得分（按地图地区、年度）
-- answers: 地图上每个地区、每个年度评价对象自评总分的平均分、最低分、最高分与个数
-- grain: one row per (map region, fiscal_year) with at least one scored evaluation; 地区代码为空的一行 = 落不到该层级地图上的报告
-- param level: 地图层级 province 省 / prefecture 市州 / county 区县（空 = province）
-- 地图地区：省 = 代码前 2 位 + 0000；市州 = 前 4 位 + 00（省直辖的县级单位如 429004 仙桃市用自身代码）；
-- 区县 = 县级代码本身。落不到该层级的报告（如区县地图上的市州本级报告、地区未识别）地区代码为空。
-- param province: 省级行政区全称（空 = 全部）
-- param prefecture: 地级行政区全称（空 = 全部）
-- param department: 部门（单位）名称（空 = 全部）
-- param year_from: 起始年度（空 = 不限）
-- param year_to: 截止年度（空 = 不限）
-- param doc_type: 文档类型 final_accounts / dept_self_eval / dept_evaluation / project_self_eval / budget（空 = 全部）
-- param county: 县级行政区全称（空 = 全部）
-- param scope: 口径范围 department 部门 / unit 单位（空 = 计入汇总的报告：部门与单位并存时只计部门）
WITH located AS (
    SELECT
        e.report_id,
        e.fiscal_year,
        e.total_score,
        map_adcode($level, s.region_code, g.level, g.parent_code) AS adcode
    FROM selected_evaluations($province, $prefecture, $department, $year_from, $year_to, $doc_type, $county, $scope) AS e
    JOIN reports AS s USING (report_id)
    LEFT JOIN regions AS g ON g.adcode = s.region_code
    WHERE e.total_score IS NOT NULL
)

SELECT
    l.adcode AS "地区代码",
    coalesce(n.name, '（落不到本层级地区的报告）') AS "地区",
    l.fiscal_year AS "年度",
    count(DISTINCT l.report_id) AS "报告数",
    count(*) AS "评价对象数",
    avg(l.total_score) AS "平均分",
    min(l.total_score) AS "最低分",
    max(l.total_score) AS "最高分"
FROM located AS l
LEFT JOIN regions AS n ON n.adcode = l.adcode
GROUP BY ALL
ORDER BY "年度", "地区代码"
