"""The Z report's count and the report on screen. The cashier counts the cash drawer by
denomination and types the totals of the other tenders (card batch, Vipps, gift cards);
the count is blind: what was expected is shown only on the report, next to what was
counted and the difference (the report service compares them).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.core.money import NOK_DENOMINATIONS, Money
from omnipos_tui.core.reports.model import Report
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.entry import MAX_AMOUNT_DIGITS
from omnipos_tui.ui.screens.base import ScanPolicy
from omnipos_tui.ui.screens.dialog import DialogScreen
from omnipos_tui.ui.session import TillSession

#: Norwegian notes and coins, in kroner, largest first.
DENOMINATIONS = NOK_DENOMINATIONS
#: Tenders counted as one amount each.
OTHER_TENDERS: tuple[TenderKind, ...] = (TenderKind.CARD, TenderKind.MOBILE, TenderKind.VOUCHER)


@dataclass
class CountRow:
    """One row of the count: a denomination (count of pieces) or a tender (an amount)."""

    denomination: int | None
    tender: TenderKind
    typed: str = ""

    @property
    def value(self) -> Money:
        """What the row adds up to."""
        if not self.typed:
            return Money.zero()
        if self.denomination is not None:
            return Money(int(self.typed) * self.denomination * 100)
        return Money.parse(self.typed.rstrip(","))


def counted(rows: list[CountRow]) -> dict[TenderKind, Money]:
    """The count per tender: cash always (0 if nothing was typed), the others when typed."""
    totals: dict[TenderKind, Money] = {TenderKind.CASH: Money.zero()}
    for row in rows:
        if row.denomination is None and not row.typed:
            continue
        totals[row.tender] = totals.get(row.tender, Money.zero()) + row.value
    return totals


class CashCountScreen(DialogScreen[dict[TenderKind, Money] | None]):
    """The count; dismisses with the counted money per tender, or None on Esc."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession) -> None:
        """Start with an empty count on the first row."""
        super().__init__(session, session.translator.text("count.title"))
        self.rows = [CountRow(d, TenderKind.CASH) for d in DENOMINATIONS] + [
            CountRow(None, tender) for tender in OTHER_TENDERS
        ]
        self.index = 0
        self.fresh = True  # the next digit replaces the row's value

    @property
    def on_confirm(self) -> bool:
        """The selection is on the last row, "Ta Z-rapport nå"."""
        return self.index == len(self.rows)

    def body(self) -> RenderableType:
        """The rows, the cash total and the confirm row."""
        table = Table(box=None, padding=(0, 2), show_edge=False)
        table.add_column(self.t("count.what"), width=16)
        table.add_column(self.t("count.number"), justify="right", width=8)
        table.add_column(self.t("count.amount"), justify="right", width=12)
        for index, row in enumerate(self.rows):
            style = "reverse" if index == self.index else ""
            if row.denomination is not None:
                name = self.t("count.coin", value=row.denomination)
                table.add_row(name, row.typed, row.value.format(thousands=True), style=style)
            else:
                table.add_row(row.tender.label, "", row.typed, style=style)
        cash = counted(self.rows)[TenderKind.CASH]
        table.add_row(
            Text(self.t("count.cash_total"), "bold"), "", Text(cash.format(thousands=True), "bold")
        )
        confirm = Text(self.t("count.confirm"), "reverse bold" if self.on_confirm else "bold")
        return Group(table, confirm)

    def hint(self) -> str:
        """Arrows, digits, Enter, Esc."""
        return self.t("count.hint", enter=self.key(Command.ENTER), esc=self.key(Command.ESCAPE))

    def character_typed(self, character: str) -> None:
        """A digit goes into the selected row (the first one replaces its value)."""
        if not character.isdigit() or self.on_confirm:
            return
        row = self.rows[self.index]
        typed = "" if self.fresh else row.typed
        whole, comma, decimals = typed.partition(",")
        if (comma and len(decimals) >= 2) or (not comma and len(whole) >= MAX_AMOUNT_DIGITS):
            return
        row.typed, self.fresh = typed + character, False
        self.redraw()

    def command_pressed(self, command: Command) -> None:
        """↑↓ move, comma for tender amounts, Backspace, Enter next/confirm, Esc cancels."""
        last = len(self.rows)
        if command in (Command.UP, Command.DOWN, Command.FIRST, Command.LAST):
            step = {Command.UP: self.index - 1, Command.DOWN: self.index + 1}
            target = step.get(command, 0 if command is Command.FIRST else last)
            self.index, self.fresh = max(0, min(target, last)), True
        elif command is Command.DECIMAL and not self.on_confirm:
            row = self.rows[self.index]
            if row.denomination is None and "," not in row.typed:
                row.typed, self.fresh = (row.typed or "0") + ",", False
        elif command is Command.BACKSPACE and not self.on_confirm:
            row = self.rows[self.index]
            row.typed, self.fresh = row.typed[:-1], False
        elif command is Command.ENTER:
            if self.on_confirm:
                self.dismiss(counted(self.rows))
                return
            self.index, self.fresh = self.index + 1, True
        elif command is Command.ESCAPE:
            self.dismiss(None)
            return
        self.redraw()


class ReportScreen(DialogScreen[None]):
    """An X or Z report as made: totals, tenders, and the count against what was expected."""

    scan_policy = ScanPolicy.QUEUE

    def __init__(self, session: TillSession, report: Report) -> None:
        """Show ``report``."""
        day = report.business_day.strftime("%d.%m.%Y")
        title = session.translator.text(
            "report.title", kind=report.kind.value, number=report.report_no, day=day
        )
        super().__init__(session, title)
        self.report = report

    def body(self) -> RenderableType:
        """Key figures; then expected, counted and difference per counted tender."""
        r = self.report
        figures = Table.grid(padding=(0, 2))
        figures.add_column(width=30)
        figures.add_column(justify="right", width=12)
        figures.add_row(self.t("report.sales"), r.total_sales.format(thousands=True))
        figures.add_row(self.t("report.receipts"), str(r.receipt_count))
        figures.add_row(self.t("report.returns"), r.returns.amount.format(thousands=True))
        figures.add_row(self.t("report.drawer"), str(r.drawer_openings))
        for line in r.payments:
            figures.add_row(
                f"  {line.tender.label} ({line.count})", line.amount.format(thousands=True)
            )
        if r.tips.count:
            figures.add_row(
                self.t("report.tips", count=r.tips.count), r.tips.amount.format(thousands=True)
            )
        figures.add_row(self.t("report.expected_cash"), r.expected_cash.format(thousands=True))
        if not r.cash_counts:
            return figures
        counts = Table(box=None, padding=(0, 2), show_edge=False)
        counts.add_column(self.t("report.tender"), width=16)
        counts.add_column(self.t("report.expected"), justify="right", width=12)
        counts.add_column(self.t("report.counted"), justify="right", width=12)
        counts.add_column(self.t("report.difference"), justify="right", width=12)
        for count in r.cash_counts:
            diff = count.difference
            style = "bold red" if diff.ore < 0 else ("bold yellow" if diff.ore > 0 else "green")
            counts.add_row(
                count.tender.label,
                count.expected.format(thousands=True),
                count.counted.format(thousands=True),
                Text(diff.format(thousands=True), style),
            )
        return Group(figures, Text(""), counts)

    def hint(self) -> str:
        """Esc or Enter closes."""
        return self.t("report.hint", esc=self.key(Command.ESCAPE), enter=self.key(Command.ENTER))

    def command_pressed(self, command: Command) -> None:
        """Esc or Enter closes."""
        if command in (Command.ESCAPE, Command.ENTER):
            self.dismiss(None)
