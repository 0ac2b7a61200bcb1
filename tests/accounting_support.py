"""What the accounting tests share: vouchers of realistic Z reports, the vendors' official
OpenAPI specs (``tests/data/accounting``), and an httpx request seen by openapi-core."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.settlement import build_voucher
from omnipos_tui.core.accounting.voucher import Voucher
from omnipos_tui.core.accounting.z_source import source_from_z
from omnipos_tui.core.ledger.transaction import LineKind, TenderKind, TransactionKind
from omnipos_tui.core.money import Money, round_half_up
from omnipos_tui.core.reports.facts import LineFacts, PaymentFacts, TransactionFacts
from omnipos_tui.core.reports.report import GrandTotals, Report, ReportKind, build_report
from omnipos_tui.core.shop.company import Company, Register

SPECS = Path(__file__).resolve().parent / "data" / "accounting"
FIKEN_SPEC = SPECS / "fiken-openapi.yaml"
TRIPLETEX_SPEC = SPECS / "tripletex-openapi.json"
COMPANY = Company("Butikken AS", "999999999", "Gata 1", "0150", "Oslo")
_RATES = {"3": Decimal(25), "31": Decimal(15), "33": Decimal(12), "5": Decimal(0), "6": Decimal(0)}


def line(no: int, amount: int, code: str, group: str = "04003") -> LineFacts:
    """An item line (a return line when ``amount`` is negative) with its VAT."""
    percent = _RATES[code]
    vat = round_half_up(Decimal(amount) * percent / (100 + percent))
    kind = LineKind.RETURN if amount < 0 else LineKind.ITEM
    quantity = Decimal(-1 if amount < 0 else 1)
    return LineFacts(no, kind, None, amount, 0, group, "", code, percent, vat, False, quantity)


def sale(nr: int, lines: tuple[LineFacts, ...], *payments: PaymentFacts,
         register: str = "1", rounding: int = 0) -> TransactionFacts:  # fmt: skip
    """A completed sale."""
    total = sum(x.amount for x in lines)
    return TransactionFacts(register, f"{register}-{nr}", nr, TransactionKind.SALE, "1", total,
                            rounding, "sale", False, False, lines, payments)  # fmt: skip


def busy_z(register: str = "1", number: int = 1, *, receipts: int = 12,
           at: datetime | None = None) -> Report:  # fmt: skip
    """A Z report with every kind of line: three rates, each means of payment, tips,
    rounding, a return, and a counted cash difference."""
    day: list[TransactionFacts] = []
    tenders = [TenderKind.CASH, TenderKind.CARD, TenderKind.MOBILE, TenderKind.VOUCHER,
               TenderKind.ACCOUNT]  # fmt: skip
    for nr in range(1, receipts + 1):
        lines: tuple[LineFacts, ...] = (
            line(1, 2990 + nr * 101, "3"), line(2, 1890 + nr * 7, "31", "04006"),
            line(3, 15000, "33", "04010"))  # fmt: skip
        if nr % 5 == 0:
            lines = (*lines, line(4, -2990, "3"))
        total = sum(x.amount for x in lines)
        tender = tenders[nr % len(tenders)]
        rounding = (-total % 100 if -total % 100 <= 50 else -total % 100 - 100) if (
            tender is TenderKind.CASH) else 0  # fmt: skip
        tip = 500 if tender is TenderKind.CARD else 0
        day.append(sale(nr, lines, PaymentFacts(tender, total + rounding, "", tip),
                        register=register, rounding=rounding))  # fmt: skip
    expected = sum(t.total + t.rounding for t in day if t.payments[0].tender is TenderKind.CASH)
    return build_report(
        ReportKind.Z, company=COMPANY, register=Register(register, f"Kasse {register}"),
        transactions=day, events=(), grand_totals_before=GrandTotals(), report_no=number,
        at=at or datetime(2026, 3, 2, 20, 0, tzinfo=UTC), employee="1",
        counted_cash={TenderKind.CASH: Money(expected - 300)},
    )  # fmt: skip


def busy_voucher(register: str = "1", number: int = 1, accounts: AccountMap | None = None,
                 **kwargs: object) -> Voucher:  # fmt: skip
    """The settlement voucher of :func:`busy_z`."""
    report = busy_z(register, number, **kwargs)  # type: ignore[arg-type]
    return build_voucher(source_from_z(report), accounts or AccountMap())


@functools.cache
def spec(path: Path) -> OpenAPI:
    """An official spec, loaded once (spec validation off: Tripletex's document has
    integer parameters with string defaults, as its SOURCES.md notes)."""
    return OpenAPI.from_file_path(str(path), config=Config(spec_validator_cls=None))


class OpenAPIHttpxRequest:
    """An httpx request as openapi-core's ``Request`` protocol sees one."""

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        url = urlparse(str(request.url))
        self._server = url
        self._path = request.url.path  # decoded: Tripletex's "/>externalVoucherNumber"
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query)),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict({}),
        )

    @property
    def host_url(self) -> str:
        return f"{self._server.scheme}://{self._server.netloc}"

    @property
    def path(self) -> str:
        return self._path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        content = self.request.content
        return content or None

    @property
    def content_type(self) -> str:
        kind = self.request.headers.get("Content-Type", "")
        return kind or "application/json"
