-- title: 可生成简报的地区与年度
-- answers: 哪些省、地级行政区在哪些年度有报告（简报按省或地级行政区、按年度生成），有执行数据的排在前面
-- grain: one row per (region, level, fiscal_year) with at least one report
WITH per_level AS (
    SELECT prefecture AS region, 'prefecture' AS level, fiscal_year, report_id, actual
    FROM report_summary
    WHERE prefecture IS NOT NULL
    UNION ALL
    SELECT province, 'province', fiscal_year, report_id, actual
    FROM report_summary
    WHERE province IS NOT NULL
)

SELECT
    region,
    level,
    fiscal_year,
    count(*) AS reports,
    count(actual) AS reports_with_execution
FROM per_level
WHERE fiscal_year IS NOT NULL
GROUP BY ALL
ORDER BY reports_with_execution DESC, level, fiscal_year DESC, region
