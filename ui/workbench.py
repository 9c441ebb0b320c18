"""Streamlit glue of the 自助查询 page: the editor, session state, URL state and history.

The guard rails themselves live in `fiscallens.workbench`; this module only decides
when to call them and what to remember. State keys all start with `wb_`.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st
import streamlit.components.v1 as components

from fiscallens import downloads, settings, workbench
from fiscallens.warehouse import QueryTimeout
from ui.data import connection

try:  # the Ace editor component (streamlit-code-editor); without it the page uses a plain text area
    import code_editor
except ImportError:  # pragma: no cover - installed from requirements.txt
    code_editor = None

EDITOR_ENV = "FISCALLENS_SQL_EDITOR"  # "plain" = always the plain text area
HISTORY_LENGTH = 50
PARAM_PREFIX = "p_"  # URL key of a parameter: ?p_province=湖南省
# How a query makes a parameter optional: an IS NULL escape, a coalesce default, or an argument of
# the filter table macros (selected_reports(...), matching_reports(...) treat NULL as 不限).
_OPTIONAL_USE = r"\${name}\s+IS\s+NULL|coalesce\(\s*\${name}\b|\b(?:selected|matching)_\w+\([^)]*\${name}\b"
# Named queries say so in their headers: "（必填）" or "（空 = 全部）".
REQUIRED_MARK, OPTIONAL_MARK = "必填", "空 ="


@dataclass(frozen=True)
class Submission:
    """One run the user asked for: the SQL text and the parameter values as typed."""

    text: str
    params: tuple[tuple[str, str], ...] = ()

    @property
    def values(self) -> dict[str, str]:
        return dict(self.params)


@dataclass
class Outcome:
    submission: Submission
    result: workbench.Result | None = None
    error: workbench.WorkbenchError | QueryTimeout | None = None
    export: workbench.Export | None = None  # the full result (Arrow), once fetched for download
    export_error: workbench.WorkbenchError | QueryTimeout | None = None


@dataclass(frozen=True)
class HistoryEntry:
    submission: Submission
    at: str
    status: str  # "共 12 行 · 用时 0.02 秒" or the error headline
    ok: bool
    key: int = field(default=0)


# --- state -----------------------------------------------------------------------------------


def _state() -> Any:
    return st.session_state


def editor_text() -> str:
    return _state().setdefault("wb_text", workbench.DEFAULT_SQL)


def editor_revision() -> int:
    return _state().setdefault("wb_rev", 0)


def load(text: str, params: dict[str, str] | None = None, run: bool = False) -> None:
    """Put SQL (and parameter values) into the editor; a button callback, so before widgets render."""
    state = _state()
    state["wb_text"] = text
    state["wb_rev"] = editor_revision() + 1
    for name in workbench.sql_params(text):
        state[f"wb_param_{name}"] = (params or {}).get(name, "")
    if run:
        state["wb_pending"] = Submission(text, _current_params(text, params))


def load_named(name: str) -> None:
    query = workbench.named_query(name)
    load(query.sql)


def show_sample(table: str) -> None:
    _state()["wb_sample"] = None if _state().get("wb_sample") == table else table


def _current_params(text: str, given: dict[str, str] | None = None) -> tuple[tuple[str, str], ...]:
    values = given if given is not None else {}
    state = _state()
    return tuple(
        (name, str(values.get(name, state.get(f"wb_param_{name}", "")) or "")) for name in workbench.sql_params(text)
    )


@st.cache_data(max_entries=4, show_spinner=False)
def _schema(version: tuple[int, int]) -> list[workbench.TableInfo]:
    con, _ = connection()
    return workbench.schema(con)


def schema() -> list[workbench.TableInfo]:
    """Tables, views and table macros of the warehouse, read once per warehouse version."""
    _, version = connection()
    return _schema(version)


def outcome() -> Outcome | None:
    return _state().get("wb_outcome")


def history() -> list[HistoryEntry]:
    return _state().setdefault("wb_history", [])


def plain_editor_default() -> bool:
    return code_editor is None or os.environ.get(EDITOR_ENV, "").lower() == "plain"


# --- URL -------------------------------------------------------------------------------------


def read_url_once() -> None:
    """On a session's first run, a link's query and parameters go into the editor and run."""
    state = _state()
    if state.get("wb_url_read"):
        return
    state["wb_url_read"] = True
    params = {k.removeprefix(PARAM_PREFIX): v for k, v in st.query_params.items() if k.startswith(PARAM_PREFIX)}
    name, text = st.query_params.get("q"), st.query_params.get("sql")
    if name and name in {q.name for q in workbench.named_queries()}:
        load(workbench.named_query(name).sql, params, run=True)
    elif text:
        load(text, params, run=True)


def write_url(submission: Submission) -> None:
    """The last run's query and parameters, so the address bar is a link to this result."""
    wanted: dict[str, str] = {}
    named = workbench.named_query_for(submission.text)
    if named is not None:
        wanted["q"] = named.name
    else:
        wanted["sql"] = submission.text
    wanted.update({f"{PARAM_PREFIX}{k}": v for k, v in submission.params if v != ""})
    ours = [k for k in st.query_params if k in ("q", "sql") or k.startswith(PARAM_PREFIX)]
    for key in ours:
        if key not in wanted:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


# --- running ---------------------------------------------------------------------------------


def required_params(text: str) -> list[str]:
    """The query's parameters that must be filled: without a value the query matches nothing
    (WHERE code = $code), rather than reading an empty one as 不限."""
    named = workbench.named_query_for(text)
    labels = named.param_labels if named is not None else {}
    required = []
    for name in workbench.sql_params(text):
        label = labels.get(name) or ""
        escaped = re.search(_OPTIONAL_USE.format(name=re.escape(name)), text, re.IGNORECASE)
        if REQUIRED_MARK in label or (OPTIONAL_MARK not in label and not escaped):
            required.append(name)
    return required


def _missing_params(submission: Submission) -> workbench.WorkbenchError | None:
    missing = [name for name in required_params(submission.text) if not submission.values.get(name, "").strip()]
    if not missing:
        return None
    names = "、".join(f"${name}" for name in missing)
    return workbench.WorkbenchError(f"请先填写必填参数 {names}：留空时这条查询不会返回任何行。")


def submit(text: str, params: tuple[tuple[str, str], ...] | None = None) -> Outcome:
    """Run what the user asked for, remember the outcome and add it to the history."""
    submission = Submission(text, params if params is not None else _current_params(text))
    con, _ = connection()
    timeout = settings.QUERY_TIMEOUT_SECONDS
    result = None
    error: Exception | None = _missing_params(submission)
    with st.spinner(f"正在查询……（最长 {timeout:g} 秒）"):
        try:
            if error is not None:
                raise error
            result = workbench.run_analyst_sql(
                con,
                text,
                submission.values,
                timeout=timeout,
                limit=settings.WORKBENCH_DISPLAY_ROWS,
                # bounded in bytes too, so a page never carries a result Streamlit refuses to send
                max_bytes=settings.WORKBENCH_DISPLAY_BYTES,
            )
        except (workbench.WorkbenchError, QueryTimeout) as exc:
            error = exc
    done = Outcome(submission, result=result, error=error)
    state = _state()
    state["wb_outcome"] = done
    state["wb_text"] = text
    entries = history()
    status = result.summary() if result is not None else _headline(error)
    counter = state.get("wb_history_counter", 0) + 1
    state["wb_history_counter"] = counter
    entries.insert(0, HistoryEntry(submission, time.strftime("%H:%M:%S"), status, result is not None, counter))
    del entries[HISTORY_LENGTH:]
    write_url(submission)
    return done


def _headline(error: Exception | None) -> str:
    if isinstance(error, workbench.WorkbenchError):
        return f"{error.message}（{error.where}）" if error.where else error.message
    return str(error)


def fetch_export(done: Outcome) -> None:
    """The whole result, up to the download bound, for the download buttons: an Arrow table, so that
    100,000 rows become a CSV or Parquet file in about a second."""
    con, _ = connection()
    try:
        done.export = workbench.run_analyst_export(
            con,
            done.submission.text,
            done.submission.values,
            timeout=settings.QUERY_TIMEOUT_SECONDS,
            limit=settings.WORKBENCH_EXPORT_ROWS,
            max_bytes=settings.WORKBENCH_EXPORT_BYTES,
        )
        done.export_error = None
    except (workbench.WorkbenchError, QueryTimeout) as exc:
        done.export_error = exc


# --- widgets ---------------------------------------------------------------------------------


def sql_editor(plain: bool) -> str | None:
    """The SQL editor; returns the text when the user runs it (Ctrl/Cmd+Enter or 运行), else None."""
    text, revision = editor_text(), editor_revision()
    if plain or code_editor is None:
        with st.form(f"wb_form_{revision}", border=False, enter_to_submit=True):
            value = st.text_area(
                "SQL",
                value=text,
                height=280,
                key=f"wb_textarea_{revision}",
                label_visibility="collapsed",
                placeholder="SELECT … FROM reports",
            )
            clicked = st.form_submit_button("运行", type="primary", icon=":material/play_arrow:", key="wb_run")
        return value if clicked else None
    response = _editor_component()(
        # the arguments code_editor.code_editor() passes, with this page's choices
        code=text,
        lang="sql",
        theme="default",
        key=f"wb_code_{revision}",
        height=[12, 30],
        focus=False,
        shortcuts="vscode",
        snippets=["", ""],
        completions=[],
        keybindings={},
        buttons=_EDITOR_BUTTONS,
        options={"wrap": True, "showLineNumbers": True, "tabSize": 4, "useSoftTabs": True},
        props={"showGutter": True, "placeholder": "SELECT … FROM reports"},
        editor_props={},
        component_props={},
        menu={},
        info={},
        allow_reset=False,
        replace_completer=False,
        response_mode="default",
        ghost_text="",
        default={"id": "", "type": "", "lang": "", "text": "", "selected": "", "cursor": ""},
    )
    if not response or response.get("type") != "submit":
        return None
    if response.get("id") == _state().get("wb_seen_submit"):
        return None  # the same submission, reported again on a later rerun
    _state()["wb_seen_submit"] = response.get("id")
    return str(response.get("text", ""))


# The editor's Streamlit themes @import a web font from fonts.googleapis.com: a request leaving the
# machine on every page load (and a stall where it is blocked). The page serves a copy of the
# component's frontend with that one line removed; the editor then uses the local monospace font.
_WEB_FONT = re.compile(r"@import url\('https://fonts\.googleapis\.com/[^']*'\);")


@functools.cache
def _editor_component() -> Any:
    source = Path(code_editor.__file__).parent / "frontend" / "build"
    target = Path(tempfile.gettempdir()) / f"fiscallens-code-editor-{_package_version()}"
    if not (target / ".complete").exists():
        shutil.rmtree(target, ignore_errors=True)  # left half-made by an interrupted copy
        staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        shutil.copytree(source, staging, ignore=shutil.ignore_patterns("*.map"), dirs_exist_ok=True)
        for script in staging.rglob("*.js"):
            text = script.read_text(encoding="utf-8")
            if "fonts.googleapis.com" in text:
                script.write_text(_WEB_FONT.sub("", text), encoding="utf-8")
        (staging / ".complete").touch()
        try:
            staging.rename(target)
        except OSError:  # another process got there first
            shutil.rmtree(staging, ignore_errors=True)
    return components.declare_component("sql_code_editor", path=str(target))


def _package_version() -> str:
    try:
        return metadata.version("streamlit-code-editor")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


_EDITOR_BUTTONS = [
    {
        "name": "运行（Ctrl+Enter）",
        "feather": "Play",
        "primary": True,
        "hasText": True,
        "showWithIcon": True,
        "alwaysOn": True,
        "commands": ["submit"],
        "style": {"bottom": "0.44rem", "right": "0.4rem"},
    },
    {
        "name": "复制",
        "feather": "Copy",
        "hasText": True,
        "alwaysOn": True,
        "commands": ["copyAll"],
        # at the bottom next to 运行, not over the first line of SQL
        "style": {"bottom": "0.44rem", "right": "9.5rem"},
    },
]


def parameter_fields(text: str) -> None:
    """One text field per `$parameter` of the query in the editor; empty = NULL (= 不限)."""
    names = workbench.sql_params(text)
    if not names:
        return
    named = workbench.named_query_for(text)
    labels = named.param_labels if named is not None else {}
    required = required_params(text)
    st.markdown("**参数**" + ("　带 * 的为必填" if required else ""))
    columns = st.columns(min(len(names), 3))
    ordered = required + [name for name in names if name not in required]  # what must be filled comes first
    for index, name in enumerate(ordered):
        needed = name in required
        columns[index % len(columns)].text_input(
            f"${name} *（必填）" if needed else f"${name}",
            key=f"wb_param_{name}",
            help=(labels.get(name) or "")
            + ("（必填：留空时查询不返回任何行）" if needed else "（留空 = NULL，即不限）"),
            placeholder=labels.get(name) or ("必填" if needed else "留空 = 不限"),
        )


def download_buttons(frame: pd.DataFrame | pa.Table, key: str) -> None:
    """CSV (with BOM), XLSX and Parquet of the whole result; each file is made when clicked.
    XLSX holds at most `downloads.xlsx_row_cap` rows, and says so when the result has more."""
    rows, columns = (frame.num_rows, frame.num_columns) if isinstance(frame, pa.Table) else frame.shape
    cap = downloads.xlsx_row_cap(columns)
    capped = rows > cap
    buttons = st.columns(len(downloads.EXPORT_FORMATS))
    for button, (fmt, (label, extension, mime)) in zip(buttons, downloads.EXPORT_FORMATS.items(), strict=True):
        name = f"自助查询结果（前{cap}行）.{extension}" if fmt == "xlsx" and capped else f"自助查询结果.{extension}"
        button.download_button(
            f"Excel（XLSX，前 {cap:,} 行）" if fmt == "xlsx" and capped else label,
            data=_exporter(frame, fmt),
            file_name=name,
            mime=mime,
            key=f"wb_download_{fmt}_{key}",
            on_click="ignore",
            icon=":material/download:",
            width="stretch",
            help=xlsx_cap_note(cap, columns) if fmt == "xlsx" and capped else None,
        )
    if capped:
        st.caption(xlsx_cap_note(cap, columns))


def xlsx_cap_note(cap: int, columns: int) -> str:
    """What the capped Excel button holds, in the users' words."""
    return (
        f"XLSX 最多 {cap:,} 行（本结果 {columns:,} 列，Excel 文件至多 {settings.XLSX_MAX_CELLS:,} 个单元格），"
        "完整结果请下载 CSV 或 Parquet。"
    )


def _exporter(frame: pd.DataFrame | pa.Table, fmt: str) -> Any:
    return lambda: downloads.export_bytes(frame, fmt)
