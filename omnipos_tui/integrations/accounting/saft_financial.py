"""SAF-T Financial (Norwegian schema 1.30, and 1.40 for periods starting 2027-01-01 or later)
of the settlement vouchers of a period: for the accountant and any system without an API.

What the file holds:

- the header with the company and the selected months;
- the general-ledger accounts the vouchers book to, each with its grouping category and
  code from the næringsspesifikasjon list (the code of the account's own number where the
  list has it, else the nearest code below it in the same account class), opening balance
  0 and closing balance the period's movement (OmniPOS knows its own vouchers, not the
  whole ledger: the header comment says so);
- the customers of the register (``BalanceAccount`` 1500) and the suppliers;
- the tax table: every VAT code used, with its rate and Skatteetaten's standard tax code;
- one journal ("KASSE") with each voucher as a transaction: its lines with debit or
  credit, and on each sales line the tax information (base and tax amount).

The file is written whole to a temporary name and renamed; the tests validate it with
``xmllint --schema`` against the XSD of its version (``saft/``).
"""

from __future__ import annotations

import bisect
import csv
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

from omnipos_tui.core.accounting.voucher import Posting, PostingKind, Voucher
from omnipos_tui.core.vat import RATES
from omnipos_tui.temp_files import hold

HERE = Path(__file__).resolve().parent / "saft"
SCHEMAS = {
    "1.30": HERE / "Norwegian_SAF-T_Financial_Schema_v_1.30.xsd",
    "1.40": HERE / "Norwegian_SAF-T_Financial_Schema_v_1.40.xsd",
}
NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
#: Periods starting on or after this day use schema 1.40.
V140_FROM = date(2027, 1, 1)
#: Grouping categories of ordinary businesses (not banks, insurers, IFRS or municipal).
_SKIP = ("BankOgForsikring", "bankOgForsikring", "IFRS", "SAF-T")


def schema_version(start: date) -> str:
    """1.30 for periods starting before 2027, 1.40 from 2027-01-01."""
    return "1.40" if start >= V140_FROM else "1.30"


@dataclass(frozen=True, slots=True)
class Party:
    """A customer or supplier as the file names it."""

    party_id: str
    name: str
    org_number: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class FinancialFile:
    """What goes into one SAF-T Financial file.

    Attributes:
        org_number: The company's organisation number.
        name: Its name.
        street, postal_code, city: Its address.
        start, end: The period (whole days; the header names their months).
        created: The day the file is made.
        vouchers: The settlement vouchers of the period.
        customers: The customer register.
        suppliers: The suppliers.
        account_names: Names of accounts where known (else the standard list's).
        software_version: OmniPOS's version.
    """

    org_number: str
    name: str
    street: str
    postal_code: str
    city: str
    start: date
    end: date
    created: date
    vouchers: Sequence[Voucher]
    customers: Sequence[Party] = ()
    suppliers: Sequence[Party] = ()
    account_names: Mapping[str, str] = field(default_factory=dict)
    software_version: str = "0.1.0"


@cache
def _grouping() -> tuple[list[int], list[tuple[str, str, str]]]:
    """The næringsspesifikasjon codes in order: numbers, and (category, code, name)."""
    rows: list[tuple[int, tuple[str, str, str]]] = []
    with (HERE / "naeringsspesifikasjon.csv").open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f, delimiter=";"):
            category, code = row["GroupingCategory"], row["GroupingCode"]
            if any(s in category for s in _SKIP) or not code.isdigit() or len(code) != 4:
                continue
            rows.append((int(code), (category, code, row["CodeDescriptionNOB"])))
    rows.sort()
    return [n for n, _ in rows], [entry for _, entry in rows]


def grouping_of(account: str) -> tuple[str, str, str]:
    """(GroupingCategory, GroupingCode, its name) of an account number: the code of the
    number itself where the list has it, else the nearest below it in the same class (first
    digit), else the class's first."""
    numbers, entries = _grouping()
    number = int(account[:4].ljust(4, "0")) if account[:4].isdigit() else 0
    at = bisect.bisect_right(numbers, number) - 1
    if at >= 0 and str(numbers[at])[0] == str(number)[0]:
        return entries[at]
    first = bisect.bisect_left(numbers, int(str(number)[0]) * 1000)
    return entries[min(first, len(entries) - 1)]


def _money(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    whole, part = divmod(abs(ore), 100)
    return f"{sign}{whole}.{part:02d}"


def _e(text: str) -> str:
    return escape(text, {'"': "&quot;"})


class _Out:
    def __init__(self, handle: TextIO) -> None:
        self.handle = handle

    def leaf(self, tag: str, value: str, indent: int) -> None:
        self.handle.write(f"{'  ' * indent}<{tag}>{_e(value)}</{tag}>\n")

    def open(self, tag: str, indent: int) -> None:
        self.handle.write(f"{'  ' * indent}<{tag}>\n")

    def close(self, tag: str, indent: int) -> None:
        self.handle.write(f"{'  ' * indent}</{tag}>\n")


def _address(out: _Out, street: str, postal_code: str, city: str, indent: int) -> None:
    out.open("Address", indent)
    if street:
        out.leaf("StreetName", street, indent + 1)
    if city:
        out.leaf("City", city, indent + 1)
    if postal_code:
        out.leaf("PostalCode", postal_code, indent + 1)
    out.leaf("Country", "NO", indent + 1)
    out.close("Address", indent)


def _header(out: _Out, data: FinancialFile, version: str) -> None:
    out.open("Header", 1)
    out.leaf("AuditFileVersion", version, 2)
    out.leaf("AuditFileCountry", "NO", 2)
    out.leaf("AuditFileDateCreated", data.created.isoformat(), 2)
    out.leaf("SoftwareCompanyName", "OmniPOS", 2)
    out.leaf("SoftwareID", "OmniPOS", 2)
    out.leaf("SoftwareVersion", data.software_version, 2)
    out.open("Company", 2)
    out.leaf("RegistrationNumber", data.org_number, 3)
    out.leaf("Name", data.name, 3)
    _address(out, data.street, data.postal_code, data.city, 3)
    out.open("Contact", 3)
    out.open("ContactPerson", 4)
    out.leaf("FirstName", "Daglig", 5)
    out.leaf("LastName", "leder", 5)
    out.close("ContactPerson", 4)
    out.close("Contact", 3)
    out.open("TaxRegistration", 3)
    out.leaf("TaxRegistrationNumber", f"{data.org_number}MVA", 4)
    out.leaf("TaxAuthority", "Skatteetaten", 4)
    out.close("TaxRegistration", 3)
    out.close("Company", 2)
    out.leaf("DefaultCurrencyCode", "NOK", 2)
    out.open("SelectionCriteria", 2)
    out.leaf("PeriodStart", str(data.start.month), 3)
    out.leaf("PeriodStartYear", str(data.start.year), 3)
    out.leaf("PeriodEnd", str(data.end.month), 3)
    out.leaf("PeriodEndYear", str(data.end.year), 3)
    out.close("SelectionCriteria", 2)
    out.leaf(
        "HeaderComment",
        f"Settlement vouchers (dagsoppgjør) from OmniPOS, {data.start} to {data.end}; "
        "balances are the movement of these vouchers only.",
        2,
    )
    out.leaf("TaxAccountingBasis", "A", 2)
    out.close("Header", 1)


def _accounts(out: _Out, data: FinancialFile, movement: Mapping[str, int]) -> None:
    out.open("GeneralLedgerAccounts", 2)
    for account in sorted(movement):
        category, code, name = grouping_of(account)
        out.open("Account", 3)
        out.leaf("AccountID", account, 4)
        out.leaf("AccountDescription", data.account_names.get(account) or name, 4)
        out.leaf("GroupingCategory", category, 4)
        out.leaf("GroupingCode", code, 4)
        out.leaf("AccountType", "GL", 4)
        out.leaf("OpeningDebitBalance", "0.00", 4)
        closing = movement[account]
        if closing >= 0:
            out.leaf("ClosingDebitBalance", _money(closing), 4)
        else:
            out.leaf("ClosingCreditBalance", _money(-closing), 4)
        out.close("Account", 3)
    out.close("GeneralLedgerAccounts", 2)


def _parties(
    out: _Out, tag: str, parties: Sequence[Party], account: str, balances: Mapping[str, int]
) -> None:
    if not parties:
        return
    out.open(f"{tag}s", 2)
    for party in parties:
        out.open(tag, 3)
        if party.org_number:
            out.leaf("RegistrationNumber", party.org_number, 4)
        out.leaf("Name", party.name or party.party_id, 4)
        _address(out, party.street, party.postal_code, party.city, 4)
        out.leaf(f"{tag}ID", party.party_id, 4)
        if account:
            closing = balances.get(party.party_id, 0)
            out.open("BalanceAccount", 4)
            out.leaf("AccountID", account, 5)
            out.leaf("OpeningDebitBalance", "0.00", 5)
            side = "ClosingDebitBalance" if closing >= 0 else "ClosingCreditBalance"
            out.leaf(side, _money(abs(closing)), 5)
            out.close("BalanceAccount", 4)
        out.close(tag, 3)
    out.close(f"{tag}s", 2)


def _tax_table(out: _Out, codes: Iterable[str]) -> None:
    rates = {r.standard_code: r for r in RATES}
    used = sorted(set(codes), key=lambda c: (len(c), c))
    if not used:
        return
    out.open("TaxTable", 2)
    out.open("TaxTableEntry", 3)
    out.leaf("TaxType", "MVA", 4)
    out.leaf("Description", "Merverdiavgift", 4)
    for code in used:
        rate = rates.get(code)
        out.open("TaxCodeDetails", 4)
        out.leaf("TaxCode", code, 5)
        out.leaf("EffectiveDate", (rate.valid_from if rate else date(2001, 7, 1)).isoformat(), 5)
        if rate and rate.valid_to:
            out.leaf("ExpirationDate", rate.valid_to.isoformat(), 5)
        out.leaf("Description", rate.description if rate else f"Avgiftskode {code}", 5)
        out.leaf("TaxPercentage", str(rate.percent if rate else Decimal(0)), 5)
        out.leaf("Country", "NO", 5)
        out.leaf("StandardTaxCode", code, 5)
        out.leaf("BaseRate", "100", 5)
        out.close("TaxCodeDetails", 4)
    out.close("TaxTableEntry", 3)
    out.close("TaxTable", 2)


def _line(out: _Out, n: int, p: Posting, day: str, customers: set[str]) -> None:
    out.open("Line", 5)
    out.leaf("RecordID", str(n), 6)
    out.leaf("AccountID", p.account, 6)
    out.leaf("ValueDate", day, 6)
    if p.customer and p.customer in customers:
        out.leaf("CustomerID", p.customer, 6)
    out.leaf("Description", p.description, 6)
    side = "DebitAmount" if p.debit else "CreditAmount"
    out.open(side, 6)
    out.leaf("Amount", _money(p.debit or p.credit), 7)
    out.close(side, 6)
    if p.vat_code is not None and p.kind in (PostingKind.REVENUE, PostingKind.LIABILITY):
        out.open("TaxInformation", 6)
        out.leaf("TaxType", "MVA", 7)
        out.leaf("TaxCode", p.vat_code, 7)
        out.leaf("TaxPercentage", p.vat_percent.replace(",", ".") or "0", 7)
        out.leaf("Country", "NO", 7)
        out.leaf("TaxBase", _money(abs(p.amount)), 7)
        tax_side = "CreditTaxAmount" if p.credit else "DebitTaxAmount"
        out.open(tax_side, 7)
        out.leaf("Amount", _money(p.vat_amount), 8)
        out.close(tax_side, 7)
        out.close("TaxInformation", 6)
    out.close("Line", 5)


def write_saft_financial(data: FinancialFile, path: Path) -> str:
    """Write the file (whole, or nothing); its schema version.

    Raises:
        OSError: It cannot be written.
    """
    version = schema_version(data.start)
    movement: dict[str, int] = defaultdict(int)
    owed: dict[str, int] = defaultdict(int)
    codes: list[str] = []
    debit = credit = 0
    for voucher in data.vouchers:
        for p in voucher.lines:
            movement[p.account] += p.amount
            debit += p.debit
            credit += p.credit
            if p.customer:
                owed[p.customer] += p.amount
            if p.vat_code is not None:
                codes.append(p.vat_code)
    customers = {c.party_id for c in data.customers}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            hold(handle.fileno())  # ours while we write: the next run sweeps it if we die
            out = _Out(handle)
            handle.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            handle.write(f'<AuditFile xmlns="{NAMESPACE}">\n')
            _header(out, data, version)
            out.open("MasterFiles", 1)
            _accounts(out, data, movement)
            _parties(out, "Customer", data.customers, "1500", owed)
            _parties(out, "Supplier", data.suppliers, "", {})
            _tax_table(out, codes)
            out.close("MasterFiles", 1)
            out.open("GeneralLedgerEntries", 1)
            out.leaf("NumberOfEntries", str(len(data.vouchers)), 2)
            out.leaf("TotalDebit", _money(debit), 2)
            out.leaf("TotalCredit", _money(credit), 2)
            out.open("Journal", 2)
            out.leaf("JournalID", "KASSE", 3)
            out.leaf("Description", "Dagsoppgjør fra kassene", 3)
            out.leaf("Type", "GL", 3)
            for voucher in data.vouchers:
                day = voucher.day.isoformat()
                out.open("Transaction", 3)
                out.leaf("TransactionID", voucher.key, 4)
                out.leaf("Period", str(voucher.day.month), 4)
                out.leaf("PeriodYear", str(voucher.day.year), 4)
                out.leaf("TransactionDate", day, 4)
                out.leaf("Description", voucher.description or voucher.key, 4)
                out.leaf("SystemEntryDate", day, 4)
                out.leaf("GLPostingDate", day, 4)
                for n, p in enumerate(voucher.lines, 1):
                    _line(out, n, p, day, customers)
                out.close("Transaction", 3)
            out.close("Journal", 2)
            out.close("GeneralLedgerEntries", 1)
            handle.write("</AuditFile>\n")
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()
    return version
