-- title: 仓库信息
-- answers: 仓库何时构建、含多少份报告与文件，用于图表脚注中的“数据截至”
-- grain: one row
SELECT
    (SELECT value FROM meta WHERE key = 'built_at') AS built_at,
    (SELECT count(*) FROM reports) AS reports,
    (SELECT count(*) FROM documents) AS documents
