"""The audit catches what the bundled reports get wrong (DOMAIN.md, "Figures that disagree")."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscallens import cli
from fiscallens.warehouse import connect_readonly


def findings(warehouse: Path, rule: str) -> list[tuple[str, int, str, str]]:
    con = connect_readonly(warehouse)
    return con.execute(
        """SELECT split_part(source_file, '/', -1), source_line, severity, message FROM quality_flags
           WHERE rule = ? ORDER BY source_file, source_line""",
        [rule],
    ).fetchall()


@pytest.mark.parametrize(
    ("rule", "file_prefix", "fragments"),
    [
        ("indicator_weights", "002", ["110", "应为 100"]),  # weights sum to 110 while the total says 100
        ("figure_disagrees", "001", ["74.89", "74.88"]),  # table vs narrative
        ("figure_disagrees", "001", ["2000", "1000"]),  # project budget: 20000000 元 in its table, 1000 万元 in text
        ("execution_rate_reported", "000", ["100", "18.00", "20.00"]),  # "执行率 100%" with 18 of 20 spent
        ("unit_contradiction", "001", ["元", "万元"]),  # the "(元)" header over 万元 figures
        ("execution_score", "004", ["64.47", "6.5"]),
    ],
)
def test_known_inconsistencies_are_flagged(warehouse: Path, rule: str, file_prefix: str, fragments: list[str]) -> None:
    hits = [f for f in findings(warehouse, rule) if f[0].startswith(file_prefix) and all(x in f[3] for x in fragments)]
    assert hits, f"no {rule} finding in {file_prefix} mentioning {fragments}"
    assert all(severity == "warning" and line for _, line, severity, _ in hits)


def test_reports_that_add_up_are_not_flagged(warehouse: Path) -> None:
    # 001's functional classification reconciles (children sum to parents, basic + project = total).
    assert findings(warehouse, "function_children_sum") == []
    assert findings(warehouse, "function_basic_plus_project") == []
    assert findings(warehouse, "grade_bands") == []


def test_check_command_reruns_the_audit(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--db", str(warehouse), "--severity", "warning"]) == 0
    out = capsys.readouterr().out
    assert "(indicator_weights)" in out and "2021 黔南州大数据发展管理局" in out
    assert "[说明]" not in out
