"""What the workbench lets run: one reading statement, of a size DuckDB can plan within its limits.

Checked before anything runs (the read-only, locked connection is the real guard; these checks
say why in Chinese and keep the planner from work it cannot be interrupted in):
the text's length, one statement, a reading type (SELECT, EXPLAIN, PRAGMA), and the size of its
syntax tree with every CTE reference expanded.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from fiscallens.settings import (
    WORKBENCH_MAX_JOINS,
    WORKBENCH_MAX_SET_OPERATIONS,
    WORKBENCH_MAX_SQL_CHARS,
    WORKBENCH_MAX_SYNTAX_NODES,
)
from fiscallens.workbench.errors import QueryRefused, sql_error

# Statement types an analyst may run. Anything else is refused before it runs; the read-only,
# locked connection still refuses whatever slips through (a PRAGMA that sets an option, a
# data-modifying CTE inside a SELECT).
ALLOWED_TYPES = frozenset({"SELECT", "EXPLAIN", "PRAGMA"})

_TYPE_LABELS = {
    "INSERT": "插入数据（INSERT）",
    "UPDATE": "修改数据（UPDATE）",
    "DELETE": "删除数据（DELETE）",
    "CREATE": "创建对象（CREATE）",
    "CREATE_FUNC": "创建函数（CREATE FUNCTION/MACRO）",
    "DROP": "删除对象（DROP）",
    "ALTER": "修改表结构（ALTER）",
    "COPY": "导入导出文件（COPY）",
    "COPY_DATABASE": "复制数据库（COPY FROM DATABASE）",
    "EXPORT": "导出数据库（EXPORT）",
    "ATTACH": "挂载数据库（ATTACH）",
    "DETACH": "卸载数据库（DETACH）",
    "LOAD": "安装或加载扩展（INSTALL/LOAD）",
    "EXTENSION": "扩展语句",
    "SET": "修改设置（SET/RESET/USE）",
    "VARIABLE_SET": "设置变量（SET VARIABLE）",
    "TRANSACTION": "事务控制（BEGIN/COMMIT/ROLLBACK）",
    "PREPARE": "预备语句（PREPARE）",
    "EXECUTE": "执行预备语句（EXECUTE）",
    "CALL": "调用过程（CALL/CHECKPOINT）",
    "VACUUM": "整理存储（VACUUM）",
    "ANALYZE": "收集统计（ANALYZE）",
    "MERGE_INTO": "合并写入（MERGE INTO）",
    "MULTI": "复合语句（如 PIVOT 语句）",
}


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The one statement in `sql`, parsed by DuckDB; raises QueryRefused or SqlError."""
    cursor = con.cursor()
    try:
        return one_statement(cursor, sql)
    finally:
        cursor.close()


def check_length(sql: str) -> None:
    """Refuse empty text and text longer than WORKBENCH_MAX_SQL_CHARS (DuckDB cannot interrupt parsing)."""
    if not sql or not sql.strip():
        raise QueryRefused("请输入一条 SQL 查询语句。")
    if len(sql) > WORKBENCH_MAX_SQL_CHARS:
        raise QueryRefused(
            f"已拒绝：SQL 文本有 {len(sql):,} 个字符，超过上限 {WORKBENCH_MAX_SQL_CHARS:,} 个字符。请精简查询后重试。"
        )


def one_statement(cursor: duckdb.DuckDBPyConnection, sql: str) -> Any:
    """The one reading statement in `sql`, parsed on `cursor`; raises QueryRefused or SqlError."""
    check_length(sql)
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error as exc:
        raise sql_error(exc, sql) from None
    if not statements:
        raise QueryRefused("没有可运行的语句（只有注释或分号）。")
    if len(statements) > 1:
        raise QueryRefused(
            f"已拒绝：一次只能运行一条语句，这里有 {len(statements)} 条。请删去多余的语句（分号后面的部分）。",
            detail="\n".join(f"第 {i} 条：{_short(s.query)}" for i, s in enumerate(statements, 1)),
        )
    statement = statements[0]
    try:
        kind = statement.type.name
    except ValueError:  # a statement type this client does not know, e.g. UPDATE EXTENSIONS
        raise QueryRefused(_REFUSED.format(label="未知类型"), detail=_short(statement.query)) from None
    # COPY FROM DATABASE parses as a PRAGMA; only a statement that says PRAGMA counts as one.
    if kind == "PRAGMA" and not statement.query.lstrip().upper().startswith("PRAGMA"):
        kind = "COPY_DATABASE"
    if kind not in ALLOWED_TYPES:
        raise QueryRefused(_REFUSED.format(label=_TYPE_LABELS.get(kind, kind)), detail=_short(statement.query))
    return statement


_REFUSED = "已拒绝：自助查询只能读取数据（SELECT / WITH / EXPLAIN / 只读 PRAGMA），不能执行“{label}”语句。"


def _short(sql: str, width: int = 60) -> str:
    text = " ".join(sql.split()).removesuffix(";").rstrip()
    return text if len(text) <= width else text[: width - 1] + "…"


def sql_params(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """`$name` parameters of one statement, in order of first use; [] if it does not parse."""
    cursor = (con or _parser()).cursor()
    try:
        statements = cursor.extract_statements(sql)
    except duckdb.Error:
        return []
    finally:
        cursor.close()
    names = set().union(*(s.named_parameters for s in statements)) if statements else set()
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    order = {m.group(1): m.start() for m in reversed(list(re.finditer(r"\$([A-Za-z_]\w*)", code)))}
    return sorted(names, key=lambda n: (order.get(n, len(code)), n))


@functools.cache
def _parser() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database, used only to parse SQL text."""
    return duckdb.connect(":memory:", config={"enable_external_access": False})


def bind(names: Iterable[str], values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Every parameter the statement uses, NULL when not given or left empty (= 不限)."""
    values = values or {}
    return {n: (None if values.get(n) in ("", None) else values[n]) for n in names}


# --- size of a statement before it is planned ------------------------------------------------
_SERIALIZE_SQL = "SELECT json_serialize_sql($sql)"
_EXPLAIN_PREFIX = re.compile(r"^\s*EXPLAIN\b(?:\s+ANALYZE\b)?(?:\s*\([^)]*\))?", re.IGNORECASE)
_TOO_BIG = (
    "已拒绝：查询结构过于庞大（展开 WITH 子查询后{what}多于 {limit:,} 个），"
    "规划它就会超出时间和内存限制。请拆分或简化查询（减少 UNION、连接、嵌套与重复引用的 WITH 子查询）。"
)
# (what is counted, which nodes, limit)
_SIZE_LIMITS = (
    ("语法节点", None, WORKBENCH_MAX_SYNTAX_NODES),
    ("表连接", "JOIN", WORKBENCH_MAX_JOINS),
    ("集合运算（UNION/EXCEPT/INTERSECT）", "SET_OPERATION_NODE", WORKBENCH_MAX_SET_OPERATIONS),
)


def check_size(cursor: duckdb.DuckDBPyConnection, statement: Any) -> None:
    """Refuse a statement whose syntax tree, with every CTE reference expanded, is too large to plan.

    DuckDB inlines a CTE at each reference (always for NOT MATERIALIZED), so a chain of CTEs each
    using the previous one twice is small text and an exponential plan; DuckDB cannot interrupt the
    planner, so the size is counted here on the parsed tree first.
    """
    if statement.type.name == "PRAGMA":
        return
    text = _EXPLAIN_PREFIX.sub("", statement.query, count=1)
    try:
        (serialized,) = cursor.execute(_SERIALIZE_SQL, {"sql": text}).fetchone()
        tree = json.loads(serialized)
    except RecursionError:
        what, _, limit = _SIZE_LIMITS[0]
        raise QueryRefused(_TOO_BIG.format(what=what, limit=limit)) from None
    except (duckdb.Error, ValueError):
        return  # not serializable (an EXPLAIN form it does not know); the watchdog still applies
    if tree.get("error"):
        return
    for what, kind, limit in _SIZE_LIMITS:
        nodes = syntax_size(tree.get("statements", []), limit, kind)
        if nodes > limit:
            raise QueryRefused(_TOO_BIG.format(what=what, limit=limit))


def syntax_size(tree: Any, cap: int, kind: str | None = None) -> int:
    """Nodes (of `type` kind, or all) of a json_serialize_sql tree, each CTE reference replaced by the CTE.

    Counting stops a little above `cap`. CTEs marked MATERIALIZED are computed once and count once.
    """
    return _expanded(_bodies(tree, kind), cap)


@dataclass
class _Bodies:
    """A statement's query bodies: 0 is the statement, then one per CTE, each counted without nested CTEs."""

    trees: list[Any]
    own: list[int] = field(default_factory=list)  # per body: nodes outside nested CTE bodies
    refs: list[Counter[str]] = field(default_factory=list)  # per body: names referenced
    ctes: dict[str, list[int]] = field(default_factory=dict)  # CTE name -> bodies
    shared: set[str] = field(default_factory=set)  # names of CTEs materialized once


def _bodies(tree: Any, kind: str | None) -> _Bodies:
    found = _Bodies([tree])
    while len(found.own) < len(found.trees):
        count, used = _count_body(found, found.trees[len(found.own)], kind)
        found.own.append(count)
        found.refs.append(used)
    return found


def _count_body(found: _Bodies, root: Any, kind: str | None) -> tuple[int, Counter[str]]:
    """Nodes of one body and the names it references; the CTE bodies it defines are queued in `found`."""
    count, used = 0, Counter()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if kind is None:
            count += 1
        elif node.get("type") == kind:  # DuckDB puts a chain of UNION ALL in one node with many children
            count += max(1, len(node.get("children") or ()) - 1)
        if node.get("type") == "BASE_TABLE" and not node.get("schema_name") and not node.get("catalog_name"):
            used[str(node.get("table_name", "")).lower()] += 1
        for key, value in node.items():
            if key == "cte_map" and isinstance(value, dict):
                for entry in value.get("map", []):
                    name = str(entry.get("key", "")).lower()
                    found.ctes.setdefault(name, []).append(len(found.trees))
                    if entry.get("value", {}).get("materialized") == "CTE_MATERIALIZE_ALWAYS":
                        found.shared.add(name)
                    found.trees.append(entry.get("value", {}).get("query_node"))
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return count, used


def _expanded(bodies: _Bodies, cap: int) -> int:
    """The size of body 0 with every CTE reference replaced by its body, capped a little above `cap`."""
    own, refs, ctes, shared = bodies.own, bodies.refs, bodies.ctes, bodies.shared
    # total(body) = own + sum(references x total(referenced CTE)); a CTE that refers back to itself
    # (WITH RECURSIVE) counts once. Iterative, in dependency order.
    total: dict[int, int] = {}
    visiting: set[int] = set()
    order = [(0, False)]
    while order:
        body, ready = order.pop()
        if body in total:
            continue
        children = [(b, n) for name, n in refs[body].items() if name in ctes for b in ctes[name]]
        if not ready:
            visiting.add(body)
            order.append((body, True))
            order.extend((b, False) for b, _ in children if b not in total and b not in visiting)
            continue
        visiting.discard(body)
        size = own[body]
        for name, n in refs[body].items():
            if name not in ctes:
                continue
            inner = max(total.get(b, 1) for b in ctes[name])
            size += inner if name in shared else n * inner
            if size > cap:
                break
        total[body] = min(size, cap + 1)
    for body in range(len(own)):  # CTE bodies defined but not referenced from the top
        if body not in total:
            total[body] = own[body]
    return max(total[0], min(sum(own), cap + 1))
