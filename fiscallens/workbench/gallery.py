"""The queries an analyst starts from: the editor's example and the named queries of queries/."""

from __future__ import annotations

from fiscallens.queries import NamedQuery, load_queries

DEFAULT_SQL = """-- 示例：各年度、各类报告的份数与平均自评得分。按 Ctrl+Enter（Mac：⌘+Enter）运行。
SELECT
    fiscal_year AS 年度,
    doc_type AS 类型,
    count(*) AS 报告数,
    round(avg(total_score), 2) AS 平均得分
FROM reports
GROUP BY ALL
ORDER BY 年度 DESC, 类型
"""


def named_queries() -> list[NamedQuery]:
    """The gallery: every query in queries/, ordered by title."""
    return sorted(load_queries().values(), key=lambda q: (q.title or q.name, q.name))


def named_query(name: str) -> NamedQuery:
    return load_queries()[name]


def named_query_for(sql: str) -> NamedQuery | None:
    """The named query whose text this is (so a link can carry its name instead of the SQL)."""
    wanted = sql.strip()
    return next((q for q in load_queries().values() if q.sql.strip() == wanted), None)
