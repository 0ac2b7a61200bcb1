"""The settlement voucher (dagsoppgjør): one balanced voucher per settlement, built by a pure
function from the settlement's own figures.

A **source** is what was settled, in figures only: sales per article group and VAT code
(basis and VAT), payments per means, and the cash movements around them. A Z report is one
source (:func:`omnipos_tui.core.accounting.z_source.source_from_z`); a day of web-shop
orders is another: its module makes a :class:`SettlementSource` the same way and calls the
same :func:`build_voucher` (with its own means of payment, ``web_card`` ..., in the account
map). There is one builder.

The voucher books (debit positive):

- revenue per VAT rate and account (an article group's own account where mapped; the gift
  voucher or deposit group to its liability), credit, with the rate's standard tax code;
- output VAT per rate, credit, with the rate's standard tax code;
- each means of payment to its account, debit (card per terminal where mapped, customer
  account with the customer where known);
- tips on the card: debit card clearing, credit the tips liability;
- cash rounding (credit when the customers paid more), the counted cash difference (over:
  credit, short: debit), cash put in and taken out against ``cash_transfer``, and the
  opening float against ``change_float`` (not booked when that is the cash account).

Books, Z report and SAF-T agree to the øre because every figure is the Z's own; the voucher
balances when the Z does, and :func:`require_balanced` refuses one that does not, naming
the difference.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from omnipos_tui.core.accounting.accounts import AccountMap, vat_bearing, vat_key
from omnipos_tui.core.accounting.voucher import (
    Posting,
    PostingKind,
    Voucher,
    standard_tax_code,
)
from omnipos_tui.core.errors import ConfigError


@dataclass(frozen=True, slots=True)
class SalesFigure:
    """Sales of one article group at one VAT code (net of returns).

    Attributes:
        group: The article group ("" when the source does not split by group).
        vat_code: Our VAT code (``core.vat``).
        vat_percent: The rate.
        basis: Sales excl. VAT in øre.
        vat: The VAT in øre.
    """

    group: str
    vat_code: str
    vat_percent: Decimal
    basis: int
    vat: int


@dataclass(frozen=True, slots=True)
class PaymentFigure:
    """Money received with one means of payment (net of refunds).

    Attributes:
        means: The account map's key ("cash", "card", "vipps", "gift_voucher",
            "customer_account"; a web source's own, "web_card").
        amount: In øre.
        detail: The card terminal's register ("1": ``card_1`` before ``card``), or the
            customer number of a customer-account line; "" when not known.
        label: The line's text ("Kort").
    """

    means: str
    amount: int
    detail: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class SettlementSource:
    """What one settlement settled, in figures (every amount in øre).

    Attributes:
        key: The voucher's idempotency key.
        day: The day settled.
        description: The voucher's text.
        sales: Sales per group and VAT code.
        payments: Payments per means.
        rounding: Cash rounding (positive: the customers paid more than the sales).
        tips: Tips added on the card terminal (on top of the card payments).
        tips_means: The means the tips came with (card).
        cash_difference: Counted cash less expected (negative: short).
        pay_ins: Cash put into the drawer.
        pay_outs: Cash taken out of the drawer (positive).
        opening_float: The change float put in at the start.
    """

    key: str
    day: date
    description: str
    sales: tuple[SalesFigure, ...]
    payments: tuple[PaymentFigure, ...]
    rounding: int = 0
    tips: int = 0
    tips_means: str = "card"
    cash_difference: int = 0
    pay_ins: int = 0
    pay_outs: int = 0
    opening_float: int = 0

    def needed_keys(self, accounts: AccountMap) -> list[str]:
        """The account-map keys this source books to (for :meth:`AccountMap.missing`)."""
        keys: list[str] = []
        for s in self.sales:
            keys.append(_sales_target(accounts, s)[1])
            if s.vat and vat_bearing(s.vat_code):
                keys.append(vat_key(s.vat_code))
        for p in self.payments:
            keys.append(accounts.payment_account(p.means, p.detail)[1])
        pairs = (
            (self.rounding, "rounding"),
            (self.tips, "tips"),
            (self.cash_difference, "cash_difference"),
            (self.pay_ins or self.pay_outs, "cash_transfer"),
            (self.opening_float, "change_float"),
        )
        keys.extend(key for amount, key in pairs if amount)
        if self.cash_difference or self.pay_ins or self.pay_outs or self.opening_float:
            keys.append("cash")
        return keys


def _sales_target(accounts: AccountMap, s: SalesFigure) -> tuple[str, str, PostingKind, str]:
    """Account, key, kind and text of a sales figure."""
    if s.group and s.group == accounts.gift_voucher_group:
        return accounts.get("gift_voucher"), "gift_voucher", PostingKind.LIABILITY, "Gavekort solgt"
    if s.group and s.group == accounts.deposit_group:
        return accounts.get("deposits"), "deposits", PostingKind.LIABILITY, "Forskudd fra kunder"
    account, key = accounts.sales_account(s.group, s.vat_code)
    text = f"Salg {_percent_text(s.vat_percent)} %" if vat_bearing(s.vat_code) else "Salg"
    if s.vat_code == "5":
        text = "Salg fritatt (0 %)"
    elif s.vat_code == "6":
        text = "Salg utenfor mva-loven"
    return account, key, PostingKind.REVENUE, text


def _percent_text(percent: Decimal) -> str:
    return format(percent.normalize(), "f").replace(".", ",")


def build_voucher(source: SettlementSource, accounts: AccountMap) -> Voucher:
    """The settlement voucher of ``source`` (see the module docstring).

    Lines of the same account, tax code, kind, text and customer are added together;
    lines that come to zero are left out.

    Raises:
        ConfigError: ``accounting.unmapped``: a figure whose account is not mapped,
            naming every key to set.
    """
    missing = accounts.missing(source.needed_keys(accounts))
    if missing:
        raise ConfigError(code="accounting.unmapped", keys=missing)
    sums: dict[tuple[str, str | None, PostingKind, str, str | None, str], list[int]] = defaultdict(
        lambda: [0, 0]
    )

    def book(
        account: str,
        amount: int,
        code: str | None,
        kind: PostingKind,
        text: str,
        *,
        customer: str | None = None,
        vat: int = 0,
        percent: str = "",
    ) -> None:
        entry = sums[(account, code, kind, text, customer, percent)]
        entry[0] += amount
        entry[1] += vat

    vat_per_code: dict[str, tuple[int, Decimal]] = {}
    for s in source.sales:
        account, _, kind, text = _sales_target(accounts, s)
        code = standard_tax_code(s.vat_code)
        percent = _percent_text(s.vat_percent) if kind is PostingKind.REVENUE else ""
        book(account, -s.basis, code, kind, text, vat=-s.vat, percent=percent)
        if s.vat:
            before = vat_per_code.get(s.vat_code, (0, s.vat_percent))[0]
            vat_per_code[s.vat_code] = (before + s.vat, s.vat_percent)
    for vat_code, (vat, rate) in sorted(vat_per_code.items()):
        book(
            accounts.get(vat_key(vat_code)),
            -vat,
            standard_tax_code(vat_code),
            PostingKind.VAT,
            f"Utgående mva {_percent_text(rate)} %",
        )
    for p in source.payments:
        account, _ = accounts.payment_account(p.means, p.detail)
        customer = p.detail if p.means == "customer_account" and p.detail else None
        book(account, p.amount, None, PostingKind.PAYMENT, p.label or p.means, customer=customer)
    cash = accounts.get("cash")
    if source.tips:
        tips_account, _ = accounts.payment_account(source.tips_means)
        book(tips_account, source.tips, None, PostingKind.PAYMENT, "Tips på kort")
        book(accounts.get("tips"), -source.tips, None, PostingKind.LIABILITY, "Tips til ansatte")
    if source.rounding:
        book(
            accounts.get("rounding"), -source.rounding, None, PostingKind.ROUNDING, "Øresavrunding"
        )
    if source.cash_difference:
        diff = source.cash_difference
        book(cash, diff, None, PostingKind.DIFFERENCE, "Kassedifferanse")
        book(
            accounts.get("cash_difference"), -diff, None, PostingKind.DIFFERENCE, "Kassedifferanse"
        )
    moved = source.pay_ins - source.pay_outs
    if source.pay_ins:
        book(cash, source.pay_ins, None, PostingKind.TRANSFER, "Innskudd i kasse")
    if source.pay_outs:
        book(cash, -source.pay_outs, None, PostingKind.TRANSFER, "Uttak fra kasse")
    if moved:
        book(
            accounts.get("cash_transfer"), -moved, None, PostingKind.TRANSFER, "Kasse til/fra bank"
        )
    float_account = accounts.get("change_float")
    if source.opening_float and float_account != cash:
        book(cash, source.opening_float, None, PostingKind.TRANSFER, "Vekselkasse inn")
        book(float_account, -source.opening_float, None, PostingKind.TRANSFER, "Vekselkasse")
    lines = tuple(
        Posting(
            account=account,
            debit=max(amount, 0),
            credit=max(-amount, 0),
            vat_code=code,
            description=text,
            kind=kind,
            vat_amount=vat if amount > 0 else -vat,
            vat_percent=percent,
            customer=customer,
        )
        for (account, code, kind, text, customer, percent), (amount, vat) in sums.items()
        if amount
    )
    return Voucher(source.key, source.day, source.description, lines)
