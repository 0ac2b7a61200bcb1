"""The running sums of an X or Z report: :class:`Tally` adds up a register's transactions
(their report facts) and journal events in whole øre; ``report.build_report`` makes the
report from it. What counts where is said in ``core/reports/report.py``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import EventCode, JournalEvent
from omnipos_tui.core.ledger.transaction import LineKind, ReceiptSeries, TenderKind, TransactionKind
from omnipos_tui.core.money import Money
from omnipos_tui.core.reports.facts import TransactionFacts
from omnipos_tui.core.reports.model import CountAmount

# Correction type codes and labels.
LINE_DELETED = ("LINEDELETE", "Slettet linje")
LINE_REDUCED = ("LINEREDUCE", "Redusert antall")
PRICE_OVERRIDDEN = ("PRICEOVERRIDE", "Overstyrt pris")
_SALE_KINDS = frozenset(
    {
        TransactionKind.SALE,
        TransactionKind.RETURN,
        TransactionKind.SALE_AND_RETURN,
        TransactionKind.CREDIT_SALE,
    }
)


class Tally:
    """Running sums in whole øre (plain ints: a day of 5,000 receipts sums quickly)."""

    def __init__(self, register_id: str) -> None:
        self.register_id = register_id
        self.first_nr: int | None = None
        self.last_nr: int | None = None
        self.gross_sales = 0
        self.returned = 0
        self.rounding = 0
        self.receipts = 0
        self.drawer_openings = 0
        self.groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.employee_groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        self.tenders: dict[TenderKind, list[int]] = defaultdict(lambda: [0, 0])
        self.employee_tenders: dict[tuple[str, TenderKind], list[int]] = defaultdict(lambda: [0, 0])
        self.vat: dict[str, list[int]] = {}
        self.vat_percent: dict[str, Decimal] = {}
        # Sales per (article group, VAT code): basis and VAT, for the accounting voucher.
        self.group_vat: dict[tuple[str, str], list[int]] = {}
        self.floats: dict[str, int] = defaultdict(int)
        self.inquiries: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.counted: dict[str, list[int]] = {}
        self._pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self._cash = 0

    def pair(self, name: str) -> CountAmount:
        count, amount = self._pairs.get(name, [0, 0])
        return CountAmount(count, Money(amount))

    def expected(self, tender: TenderKind) -> Money:
        if tender is TenderKind.CASH:
            return Money(self._cash)
        taken = self.tenders[tender][1] if tender in self.tenders else 0
        if tender is TenderKind.CARD:
            # The terminal's own total holds the tips the customers added on it.
            taken += self._pairs["tips"][1] if "tips" in self._pairs else 0
        return Money(taken)

    def _bump(self, name: str, amount: int, count: int = 1) -> None:
        pair = self._pairs[name]
        pair[0] += count
        pair[1] += amount

    def _bump_correction(self, code: tuple[str, str], amount: int) -> None:
        entry = self.counted.setdefault(code[0], [0, 0])
        entry[0] += 1
        entry[1] += amount

    def add_transaction(self, t: TransactionFacts) -> None:
        if t.register_id != self.register_id:
            raise InvalidInput(
                code="report.other_register_transaction",
                register=self.register_id,
                trans_id=t.trans_id,
                other=t.register_id,
            )
        self.first_nr = t.nr if self.first_nr is None else min(self.first_nr, t.nr)
        self.last_nr = t.nr if self.last_nr is None else max(self.last_nr, t.nr)
        if t.training:
            if t.kind in _SALE_KINDS:
                self._bump("training", t.total)
            return
        self._add_corrections(t)
        if t.voided:
            self._bump("voided", abs(t.total))
            return
        if t.kind not in _SALE_KINDS:
            self._add_cash_movement(t)
            return
        self._add_sale(t)

    def _add_cash_movement(self, t: TransactionFacts) -> None:
        moved = t.total
        self._cash += sum(p.amount for p in t.payments if p.tender is TenderKind.CASH)
        if t.kind is TransactionKind.OPENING_FLOAT:
            self.floats[t.employee] += moved
        elif t.kind is TransactionKind.CASH_IN:
            self._bump("pay_ins", moved)
        else:
            self._bump("pay_outs", -moved)

    def _add_sale(self, t: TransactionFacts) -> None:
        # The hot loop of a Z report: plain ints and dict lookups, no Money or Decimal
        # arithmetic (hashing a Decimal per line alone would double the time).
        kinds: dict[int, LineKind] = {}
        sold = returned = 0
        group_net: dict[str, int] = defaultdict(int)
        employee_group_net: dict[tuple[str, str], int] = defaultdict(int)
        discounts: dict[int, int] = defaultdict(int)
        vat_sums = self.vat
        group_vat = self.group_vat
        seller = t.employee
        correction, returning = LineKind.CORRECTION, LineKind.RETURN
        for (
            # One unpacking is much cheaper than an attribute access per field.
            line_no,
            line_kind,
            corrects,
            amount,
            off,
            group,
            employee,
            code,
            percent,
            tax,
            price_overridden,
            _,
        ) in t.lines:
            kinds[line_no] = line_kind
            kind = kinds.get(corrects or 0, LineKind.ITEM) if line_kind is correction else line_kind
            if kind is returning:
                returned -= amount
            else:
                sold += amount
                if off:
                    discounts[corrects or line_no] += off
            group_net[group] += amount
            employee_group_net[(employee or seller, group)] += amount
            vat = vat_sums.get(code)
            if vat is None:
                vat = vat_sums[code] = [0, 0]
                self.vat_percent[code] = percent
            vat[0] += amount - tax
            vat[1] += tax
            split = group_vat.get((group, code))
            if split is None:
                split = group_vat[(group, code)] = [0, 0]
            split[0] += amount - tax
            split[1] += tax
            if price_overridden:
                self._bump_correction(PRICE_OVERRIDDEN, amount)
        self.gross_sales += sold
        self.returned += returned
        self.rounding += t.rounding
        # A transaction counts +1 for a group it sold in and -1 for one it took back from,
        # as in Skatteetaten's example Z report.
        # _add_signed written out: this runs for every group of every receipt.
        groups, employee_groups = self.groups, self.employee_groups
        for group, amount in group_net.items():
            entry = groups[group]
            entry[0] += (amount > 0) - (amount < 0)
            entry[1] += amount
        for key, amount in employee_group_net.items():
            entry = employee_groups[key]
            entry[0] += (amount > 0) - (amount < 0)
            entry[1] += amount
        given = [d for d in discounts.values() if d]
        if given:
            self._bump("discounts", sum(given), len(given))
        if returned:
            self._bump("returns", returned)
        if t.receipt_series == ReceiptSeries.SALE:
            self.receipts += 1
        if t.receipt_series == ReceiptSeries.DELIVERY:
            self._bump("deliveries", t.total)
        for p in t.payments:
            paid = p.amount
            if p.tip:  # reportTip: never a sale, a payment of the sale or VAT
                self._bump("tips", p.tip)
            _add_signed(self.tenders[p.tender], paid)
            _add_signed(self.employee_tenders[(p.employee or t.employee, p.tender)], paid)
            if p.tender is TenderKind.CASH:
                self._cash += paid
            elif p.tender is TenderKind.ACCOUNT and paid > 0:
                self._bump("credit_sales", paid)
            elif p.tender is TenderKind.ACCOUNT and paid < 0:
                self._bump("credit_memos", -paid)

    def _add_corrections(self, t: TransactionFacts) -> None:
        for line in t.lines:  # a plain loop: most receipts have no correction
            if line[2] is not None:  # corrects_line
                break
        else:
            return
        left = {line.line_no: line.quantity for line in t.lines if line.corrects_line is None}
        for line in t.lines:
            if line.kind is not LineKind.CORRECTION or line.corrects_line is None:
                continue
            remaining = left.get(line.corrects_line, Decimal(0)) + line.quantity
            left[line.corrects_line] = remaining
            kind = LINE_DELETED if remaining == 0 else LINE_REDUCED
            self._bump_correction(kind, abs(line.amount))

    def add_event(self, event: JournalEvent) -> None:
        if event.register_id != self.register_id:
            raise InvalidInput(
                code="report.other_register_event",
                register=self.register_id,
                event=event.event_id,
                other=event.register_id,
            )
        if event.training:
            return
        code = event.code
        if code is EventCode.DRAWER_OPEN_NO_SALE:
            self.drawer_openings += 1
        elif code is EventCode.COPY_RECEIPT:
            self._bump("copies", event.amount().ore)
        elif code is EventCode.PROFORMA_RECEIPT:
            self._bump("proforma", event.amount().ore)
        elif code is EventCode.PRICE_LOOKUP:
            entry = self.inquiries[event.string("group")]
            entry[0] += 1
            entry[1] += event.amount().ore


def _add_signed(entry: list[int], amount: int) -> None:
    """Count +1 for a positive amount, -1 for a negative one, and add the amount."""
    entry[0] += (amount > 0) - (amount < 0)
    entry[1] += amount
