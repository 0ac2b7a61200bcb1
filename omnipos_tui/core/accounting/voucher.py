"""The settlement voucher (dagsoppgjør): a balanced set of postings with its key and day.

Built by :func:`omnipos_tui.core.accounting.settlement.build_voucher` from a settlement's own
figures; queued whole as the outbox row's payload (:meth:`Voucher.to_dict`), so what is
sent, previewed and exported is the same voucher. :func:`require_balanced` refuses one that
does not balance, naming the difference.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from omnipos_tui.core.errors import InvalidInput, RuleViolation
from omnipos_tui.core.vat import RATES

#: The outbox kind of a settlement voucher (every source).
SETTLEMENT_KIND = "accounting.settlement"

_STANDARD = {rate.code: rate.standard_code for rate in RATES}


def standard_tax_code(vat_code: str) -> str:
    """Skatteetaten's standard tax code of our VAT code (ours are the same numbers)."""
    return _STANDARD.get(vat_code, vat_code)


class PostingKind(enum.StrEnum):
    """What a voucher line books (adapters that take gross sales lines need it)."""

    REVENUE = "revenue"
    VAT = "vat"
    PAYMENT = "payment"
    LIABILITY = "liability"
    ROUNDING = "rounding"
    DIFFERENCE = "difference"
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class Posting:
    """One line of a voucher.

    Attributes:
        account: The general-ledger account.
        debit: Debit in øre (0 or positive).
        credit: Credit in øre (0 or positive).
        vat_code: Skatteetaten's standard tax code, or None for a line without VAT
            treatment (payments, rounding, transfers).
        description: What it is, in Norwegian ("Salg 25 %", "Kort").
        kind: What it books.
        vat_amount: Revenue lines: the output VAT belonging to this revenue (booked on
            the rate's VAT line), on the same side as the line (positive unless the VAT
            and the revenue went opposite ways); an adapter that posts gross lines adds it.
        vat_percent: Revenue lines: the rate ("25"), else "".
        customer: Customer account lines: the customer number where known.
    """

    account: str
    debit: int
    credit: int
    vat_code: str | None
    description: str
    kind: PostingKind
    vat_amount: int = 0
    vat_percent: str = ""
    customer: str | None = None

    @property
    def amount(self) -> int:
        """Debit less credit (negative for a credit)."""
        return self.debit - self.credit

    def to_dict(self) -> dict[str, object]:
        """The line as JSON (amounts in integer øre)."""
        return {
            "account": self.account,
            "debit": self.debit,
            "credit": self.credit,
            "vat_code": self.vat_code,
            "description": self.description,
            "kind": self.kind.value,
            "vat_amount": self.vat_amount,
            "vat_percent": self.vat_percent,
            "customer": self.customer,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object], where: str) -> Posting:
        """Rebuild a line from :meth:`to_dict` output.

        Raises:
            InvalidInput: A missing or malformed field, named.
        """
        try:
            vat_code, customer = data.get("vat_code"), data.get("customer")
            debit, credit = data["debit"], data["credit"]
            vat_amount = data.get("vat_amount", 0)
            if not (isinstance(debit, int) and isinstance(credit, int)):
                raise TypeError("amounts")
            if not isinstance(vat_amount, int):
                raise TypeError("vat_amount")
            return cls(
                account=str(data["account"]),
                debit=debit,
                credit=credit,
                vat_code=None if vat_code is None else str(vat_code),
                description=str(data["description"]),
                kind=PostingKind(str(data["kind"])),
                vat_amount=vat_amount,
                vat_percent=str(data.get("vat_percent", "")),
                customer=None if customer is None else str(customer),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                code="accounting.bad_voucher", where=where, reason=str(exc)
            ) from None


@dataclass(frozen=True, slots=True)
class Voucher:
    """A settlement voucher.

    Attributes:
        key: The idempotency key ("Z-1-42"; a web day's "WEB-<channel>-<day>").
        day: The voucher date (the business day settled).
        description: Its text ("Dagsoppgjør Kasse 1 Z 42").
        lines: Its postings.
    """

    key: str
    day: date
    description: str
    lines: tuple[Posting, ...]

    @property
    def debit_total(self) -> int:
        """Sum of debits in øre."""
        return sum(p.debit for p in self.lines)

    @property
    def credit_total(self) -> int:
        """Sum of credits in øre."""
        return sum(p.credit for p in self.lines)

    @property
    def difference(self) -> int:
        """Debit less credit (0 when balanced)."""
        return self.debit_total - self.credit_total

    @property
    def balanced(self) -> bool:
        """Whether debits equal credits to the øre."""
        return self.difference == 0

    def to_dict(self) -> dict[str, object]:
        """The voucher as JSON (``accounting preview --json`` and the outbox payload)."""
        return {
            "key": self.key,
            "date": self.day.isoformat(),
            "description": self.description,
            "balanced": self.balanced,
            "lines": [p.to_dict() for p in self.lines],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Voucher:
        """Rebuild a voucher from :meth:`to_dict` output (an outbox payload).

        Raises:
            InvalidInput: A missing or malformed field, named.
        """
        lines = data.get("lines")
        try:
            day = date.fromisoformat(str(data["date"]))
            key, text = str(data["key"]), str(data.get("description", ""))
        except (KeyError, ValueError) as exc:
            raise InvalidInput(
                code="accounting.bad_voucher", where="voucher", reason=str(exc)
            ) from None
        if not isinstance(lines, list):
            raise InvalidInput(code="accounting.bad_voucher", where="voucher.lines", reason="list")
        postings = []
        for n, line in enumerate(lines):
            if not isinstance(line, Mapping):
                raise InvalidInput(
                    code="accounting.bad_voucher", where=f"voucher.lines[{n}]", reason="object"
                )
            postings.append(Posting.from_dict(line, f"voucher.lines[{n}]"))
        return cls(key, day, text, tuple(postings))


def require_balanced(voucher: Voucher) -> Voucher:
    """``voucher`` when it balances.

    Raises:
        RuleViolation: ``accounting.unbalanced``, naming the key and the difference.
    """
    if not voucher.balanced:
        raise RuleViolation(
            code="accounting.unbalanced",
            key=voucher.key,
            debit=voucher.debit_total,
            credit=voucher.credit_total,
            difference=voucher.difference,
        )
    return voucher


def revenue_per_code(voucher: Voucher) -> dict[str | None, tuple[int, int]]:
    """Per standard tax code: (revenue and liability booked, VAT booked), credits positive
    (the tests compare it with the Z)."""
    out: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for p in voucher.lines:
        if p.kind in (PostingKind.REVENUE, PostingKind.LIABILITY) and p.vat_code is not None:
            out[p.vat_code][0] -= p.amount
        elif p.kind is PostingKind.VAT:
            out[p.vat_code][1] -= p.amount
    return {code: (a, b) for code, (a, b) in out.items()}
