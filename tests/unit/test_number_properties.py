"""Property test: any amount, formatted the ways reports print it, parses back to itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscallens.extract.table import cell_number, split_cells
from fiscallens.normalize import parse_amount, parse_number

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def damaged(text: str, spaces: int, full_width: bool) -> str:
    """What PDF extraction does: spaces after separators, optional full-width forms."""
    out = text.replace(",", "," + " " * spaces).replace(".", "." + " " * min(spaces, 1))
    return out.translate(FULL_WIDTH) if full_width else out


@settings(max_examples=300, deadline=None)
@given(amounts, st.integers(min_value=0, max_value=2), st.booleans(), st.booleans())
def test_number_formatting_round_trips(value, spaces: int, thousands: bool, full_width: bool) -> None:
    printed = f"{value:,.2f}" if thousands else f"{value:.2f}"
    text = damaged(printed, spaces, full_width)
    assert parse_number(text) == float(value)
    assert cell_number(text + "万元") == float(value)
    amount = parse_amount(text + " 万元")
    assert amount is not None and amount.to_wan() == float(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(amounts, min_size=1, max_size=6))
def test_flattened_rows_keep_every_figure(values) -> None:
    line = "年度资金总额： " + " ".join(f"{v:,.2f}万元" for v in values)
    cells = split_cells(line)
    assert cells[0] == "年度资金总额:"
    assert [cell_number(c) for c in cells[1:]] == [float(v) for v in values]
