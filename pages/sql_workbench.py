"""自助查询: any read-only SQL over the warehouse, with the schema and the named queries at hand.

The guard rails (one reading statement, read-only locked connection, time limit, row
bounds) are in fiscallens.workbench; the editor, URL and history glue in ui/workbench.py.
"""

import streamlit as st

from fiscallens import settings, workbench
from fiscallens.warehouse import QueryTimeout
from ui import workbench as wb
from ui.data import connection, guard

PANEL_HEIGHT = 480
KIND_ICONS = {"表": ":material/table:", "视图": ":material/view_list:", "表宏": ":material/function:"}


def render() -> None:
    st.title("自助查询")
    st.caption(
        "在数据仓库上运行一条 SQL 查询（DuckDB 语法）。只读；一次一条语句；"
        f"超过 {settings.QUERY_TIMEOUT_SECONDS:g} 秒自动中止；SQL 至多 {settings.WORKBENCH_MAX_SQL_CHARS:,} 个字符；"
        f"页面显示前 {settings.WORKBENCH_DISPLAY_ROWS:,} 行（至多 {settings.WORKBENCH_DISPLAY_BYTES // 2**20} MB），"
        f"下载至多 {settings.WORKBENCH_EXPORT_ROWS:,} 行（{settings.WORKBENCH_EXPORT_BYTES // 2**20} MB）。"
        "金额单位为万元，比率为百分数。"
    )
    con, _ = connection()  # a missing warehouse becomes a message (guard) before any widget
    wb.read_url_once()

    left, right = st.columns([3, 2], gap="large")
    with left:
        plain = st.toggle(
            "纯文本编辑器",
            value=wb.plain_editor_default(),
            key="wb_plain",
            help="代码编辑器无法显示时使用。两种编辑器都可以按 Ctrl+Enter（Mac：⌘+Enter）运行。",
        )
        submitted = wb.sql_editor(plain)
        st.caption("Ctrl+Enter（Mac：⌘+Enter）运行 · `$名称` 是参数，在下方填写 · 表和列的说明见右侧“表结构”。")
        wb.parameter_fields(wb.editor_text() if submitted is None else submitted)
    pending = st.session_state.pop("wb_pending", None)
    if submitted is not None:
        wb.submit(submitted)
    elif pending is not None:
        wb.submit(pending.text, pending.params)

    with right:  # after running, so the history already lists this run
        # Only the open panel is made (switching reruns the page; the result is kept in the session).
        panels = st.tabs(["表结构", "查询库", "历史"], key="wb_panel", on_change="rerun")
        for panel, show in zip(panels, (lambda: schema_browser(con), gallery, history), strict=True):
            if panel.open:
                # fixed height, scrolling inside: the results below stay close to the editor
                with panel, st.container(height=PANEL_HEIGHT, border=False):
                    show()

    st.divider()
    results()


def results() -> None:
    done = wb.outcome()
    if done is None:
        st.info("写好查询后按 Ctrl+Enter（Mac：⌘+Enter）或“运行”。也可以从右侧“查询库”载入页面所用的查询。", icon="💡")
        return
    wb.write_url(done.submission)  # back on this page: the address bar shows the result again
    if done.error is not None:
        show_error(done.error)
        return
    result = done.result
    st.markdown(f":material/table_rows: **{result.summary()}** · {len(result.frame.columns):,} 列")
    if result.over_bytes:
        st.warning(
            f"结果超过显示大小上限 {result.max_bytes // 2**20} MB：下面只显示前 {result.row_count:,} 行。"
            "请少取列（尤其是长文本列）或加条件缩小范围。",
            icon="✂️",
        )
    elif result.truncated:
        st.warning(
            f"结果超过显示上限：下面只显示前 {result.limit:,} 行。"
            f"完整结果（至多 {settings.WORKBENCH_EXPORT_ROWS:,} 行）请用下方“准备完整结果下载”。",
            icon="✂️",
        )
    st.dataframe(result.frame, hide_index=True, width="stretch")
    downloads(done)


def downloads(done: wb.Outcome) -> None:
    result = done.result
    st.markdown("**下载**")
    if not result.truncated:
        st.caption(f"完整结果，共 {result.row_count:,} 行。CSV 带 BOM，可用 Excel/WPS 直接打开。")
        wb.download_buttons(result.frame, "shown")
        return
    if done.export is None:
        if st.button(
            f"准备完整结果下载（至多 {settings.WORKBENCH_EXPORT_ROWS:,} 行）",
            key="wb_prepare",
            icon=":material/database:",
        ):
            wb.fetch_export(done)
        if done.export_error is not None:
            show_error(done.export_error)
        if done.export is None:
            return
    export = done.export
    if export.over_bytes:
        st.warning(
            f"结果超过下载大小上限 {export.max_bytes // 2**20} MB，文件只含前 {export.row_count:,} 行。"
            "请少取列或加条件缩小范围。",
            icon="✂️",
        )
    elif export.truncated:
        st.warning(
            f"结果超过下载上限 {export.limit:,} 行，文件只含前 {export.limit:,} 行。"
            "请加条件缩小范围，或在终端用 `python -m fiscallens sql … --limit N --format csv`。",
            icon="✂️",
        )
    else:
        st.caption(f"完整结果，共 {export.row_count:,} 行。CSV 带 BOM，可用 Excel/WPS 直接打开。")
    wb.download_buttons(export.frame, "full")


def show_error(error: Exception) -> None:
    if isinstance(error, QueryTimeout):
        st.error(str(error), icon="⏱️")
        return
    where = f"（{error.where}）" if error.where else ""
    st.error(f"**{error.message}**{where}", icon="⚠️")
    if error.detail:
        st.code(error.detail, language=None, wrap_lines=True)


def schema_browser(con: object) -> None:
    st.caption("仓库中的表、视图与表宏，列说明来自建表注释（同 docs/warehouse.md）。")
    sample = st.session_state.get("wb_sample")
    for info in wb.schema():
        comment = info.comment if len(info.comment) <= 28 else info.comment[:27] + "…"
        # Lazy: a table's columns (a grid each) are made only when its entry is opened.
        entry = st.expander(
            f"**{info.name}**　{comment}",
            icon=KIND_ICONS.get(info.kind),
            expanded=info.name == sample,
            key=f"wb_schema_{info.name}",
            on_change="rerun",
        )
        if not entry.open:
            continue
        with entry:
            size = f" · 约 {info.rows:,} 行" if info.rows is not None else ""
            st.caption(f"{info.kind}{size} · {info.comment}")
            st.dataframe(info.columns, hide_index=True, width="stretch")
            if info.kind == "表宏":
                continue
            first, second = st.columns(2)
            first.button(
                "收起样例" if sample == info.name else "查看样例",
                key=f"wb_sample_{info.name}",
                on_click=wb.show_sample,
                args=(info.name,),
                icon=":material/visibility:",
                width="stretch",
            )
            second.button(
                "写入编辑器",
                key=f"wb_use_{info.name}",
                on_click=wb.load,
                args=(workbench.sample_sql(info.name, 100),),
                icon=":material/edit:",
                width="stretch",
            )
            if sample == info.name:
                try:
                    rows = workbench.sample_rows(con, info.name, 20, timeout=settings.QUERY_TIMEOUT_SECONDS)
                except (workbench.WorkbenchError, QueryTimeout) as exc:
                    show_error(exc)
                else:
                    st.dataframe(rows, hide_index=True, width="stretch")


def gallery() -> None:
    st.caption("页面所用的命名查询（queries/ 目录）。载入后填写参数再运行，结果与对应页面相同。")
    for query in workbench.named_queries():
        with st.container(border=True):
            st.markdown(f"**{query.title or query.name}**　`{query.name}`")
            if query.answers:
                st.caption(query.answers)
            if query.params:
                st.caption(
                    "参数：" + "；".join(f"`${p}` {query.param_labels.get(p, '')}".rstrip() for p in query.params)
                )
            st.button(
                "载入编辑器",
                key=f"wb_named_{query.name}",
                on_click=wb.load_named,
                args=(query.name,),
                icon=":material/input:",
            )


def history() -> None:
    entries = wb.history()
    if not entries:
        st.caption("本次会话运行过的查询会列在这里（最多 50 条，关闭页面即清空）。")
        return
    for entry in entries:
        with st.container(border=True):
            first_line = next((line for line in entry.submission.text.splitlines() if line.strip()), "")
            st.markdown(f"{'✅' if entry.ok else '❌'} {entry.at}　`{first_line[:60]}`")
            params = "，".join(f"${k}={v}" for k, v in entry.submission.params if v)
            st.caption(entry.status + (f" · {params}" if params else ""))
            st.button(
                "载入",
                key=f"wb_history_{entry.key}",
                on_click=wb.load,
                args=(entry.submission.text, entry.submission.values),
                icon=":material/history:",
            )


guard(render)
