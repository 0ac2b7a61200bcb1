"""CSV cells a spreadsheet opens as text: formulas neutralised, numbers kept, round trip."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.accounting.voucher import Posting, PostingKind, Voucher
from omnipos_tui.core.spreadsheet import read_cell, safe_cell
from omnipos_tui.integrations.accounting.file import voucher_csv


def test_a_cell_that_would_start_a_formula_gets_an_apostrophe() -> None:
    for cell in ("=cmd|' /C calc'!A0", "+47 22", "-x", "@SUM(A1)", "\t=1", "\r=1", "=", "-"):
        assert safe_cell(cell) == "'" + cell


def test_numbers_and_plain_text_stay_as_they_are() -> None:
    for cell in ("-0.40", "+12", "-1234,50", "12.00", "Kaffe", "", "Z-1-42", "a=b"):
        assert safe_cell(cell) == cell


@given(st.text())
def test_reading_back_gives_what_was_written(text: str) -> None:
    written = safe_cell(text)
    assert read_cell(written) == text
    formula = written.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert not formula or re.fullmatch(r"[+-][0-9]+([.,][0-9]+)?", written)


def test_a_voucher_file_neutralises_its_texts_but_not_its_amounts() -> None:
    line = Posting("1920", 0, 40, None, '=HYPERLINK("http://x")', PostingKind.PAYMENT)
    voucher = Voucher("Z-1-1", date(2026, 1, 2), "Dagsoppgjør", (line,))
    [_, row] = list(csv.reader(io.StringIO(voucher_csv(voucher)), delimiter=";"))
    assert row[4:6] == ["0.00", "0.40"]
    assert row[7] == '\'=HYPERLINK("http://x")'
