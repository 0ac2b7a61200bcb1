"""The SAF-T Cash Register export: a hand-built shop day through the real writer, checked
with the official XSD (the ``xmllint`` binary) and read back with XPath."""

from __future__ import annotations

import io
import subprocess
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from saft_reference import write_saft_records

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import InvalidInput, StorageError
from omnipos_tui.core.ledger.journal import (
    EVENT_CODES,
    EventCode,
    JournalEvent,
    JsonObject,
    copy_receipt_payload,
    drawer_open_payload,
    line_correction_payload,
    new_event,
    price_lookup_payload,
)
from omnipos_tui.core.ledger.signature import HmacSigner, signature_message
from omnipos_tui.core.ledger.transaction import (
    LineKind,
    TenderKind,
    Transaction,
    TransactionKind,
    cash_movement,
)
from omnipos_tui.core.money import Money, saft_amount
from omnipos_tui.core.reports.report import (
    GrandTotals,
    Report,
    ReportKind,
    build_report,
    report_payload,
)
from omnipos_tui.core.sales.lines import DiscountSpec
from omnipos_tui.core.sales.sale import Sale
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import RATES, rate_by_code
from omnipos_tui.exports.saft import (
    NAMESPACE,
    SCHEMA,
    ArticleEntry,
    EmployeeEntry,
    ExportSummary,
    export_saft_file,
    write_saft,
)
from omnipos_tui.exports.saft_codes import (
    LINE_CODES,
    PAYMENT_CODES,
    TRANSACTION_CODES,
    fixed_basics,
)
from omnipos_tui.exports.saft_events import event_text
from omnipos_tui.exports.xml_records import RecordWriter
from omnipos_tui.storage.record_rows import event_pages, transaction_pages

DATA = Path(__file__).parent.parent / "data" / "saft"
NS = {"s": NAMESPACE}
KEY = HmacSigner(b"SkatteetatenSign", "1")

COMPANY = Company("Nærbutikken AS", "999999999", "Storgata 1", "0155", "Oslo")
REGISTERS = (Register("1", "Kasse 1"), Register("2", "Kasse 2"))
GROUPS = (
    ArticleGroup("10", "Meieri", "04006"),
    ArticleGroup("20", "Drikke", "04011"),
    ArticleGroup("30", "Diverse", "04999"),
    ArticleGroup("40", "Billetter", "04999"),
)
MILK = Product("1001", "Lettmelk 1 l", Money(2190), rate_by_code("31"), "10")
CHEESE = Product("1002", "Norvegia 1 kg", Money(12990), rate_by_code("31"), "10", Unit.KG)
SODA = Product("2001", "Cola 0,5 l", Money(3490), rate_by_code("31"), "20")
BATTERY = Product("3001", "Batterier AA 4-pk", Money(8990), rate_by_code("3"), "30")
NEWSPAPER = Product("3002", "Avis", Money(4000), rate_by_code("5"), "30")
TICKET = Product("4001", "Bussbillett", Money(3900), rate_by_code("33"), "40")
PRODUCTS = (MILK, CHEESE, SODA, BATTERY, NEWSPAPER, TICKET)
KARI = Employee("1", "Kari Nordmann", Role.CASHIER)
OLA = Employee("2", "Ola", Role.MANAGER)
CUSTOMER = Customer(
    "K1", "Snekker Hansen AS", org_number="988777666", city="Oslo", postal_code="0155"
)
DAY = datetime(2026, 3, 28, 8, 0, tzinfo=UTC)  # a Saturday; DST starts the next night


def xmllint(path: Path, schema: Path = SCHEMA) -> subprocess.CompletedProcess[str]:
    """Run the real xmllint binary against the official schema."""
    return subprocess.run(
        ["xmllint", "--noout", "--schema", str(schema), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass
class Till:
    """What the services will do for one register, by hand: numbers, chain and journal."""

    register_id: str
    nr: int = 0
    seq: int = 0
    previous: str = "0"
    series: dict[str, int] = field(default_factory=dict)
    transactions: list[Transaction] = field(default_factory=list)
    events: list[JournalEvent] = field(default_factory=list)

    def sale(self, at: datetime, employee: str = "1", *, training: bool = False) -> Sale:
        return Sale(
            sale_id=f"s{len(self.transactions)}",
            register_id=self.register_id,
            employee=employee,
            started_at=at,
            training=training,
        )

    def complete(self, sale: Sale, at: datetime, *, voided: bool = False) -> Transaction:
        series = str(sale.receipt_series())
        self.nr += 1
        self.series[series] = self.series.get(series, 0) + 1
        unsigned = sale.to_transaction(
            nr=self.nr,
            receipt_number=self.series[series],
            completed_at=at,
            previous_signature=self.previous,
            voided=voided,
        )
        return self._sign(unsigned)

    def movement(self, kind: TransactionKind, amount: Money, at: datetime) -> Transaction:
        self.nr += 1
        self.series["other"] = self.series.get("other", 0) + 1
        unsigned = cash_movement(
            kind=kind,
            register_id=self.register_id,
            nr=self.nr,
            amount=amount,
            employee="1",
            at=at,
            receipt_number=self.series["other"],
            previous_signature=self.previous,
            note="Vekselkasse" if kind is TransactionKind.OPENING_FLOAT else "Til banken",
        )
        return self._sign(unsigned)

    def _sign(self, tx: Transaction) -> Transaction:
        message = signature_message(
            self.previous, tx.trans_date, tx.trans_time, tx.nr, tx.total, tx.total_ex_vat
        )
        signed = tx.signed(KEY.sign(message), KEY.key_version)
        self.previous = signed.signature
        self.transactions.append(signed)
        return signed

    def report(self, kind: ReportKind, number: int, at: datetime, employee: str = "2") -> Report:
        report = build_report(
            kind,
            company=COMPANY,
            register=next(r for r in REGISTERS if r.register_id == self.register_id),
            transactions=self.transactions,
            events=self.events,
            grand_totals_before=GrandTotals(Money.kroner(10_000), Money.kroner(500)),
            report_no=number,
            at=at,
            employee=employee,
            groups=GROUPS,
        )
        code = EventCode.Z_REPORT if kind is ReportKind.Z else EventCode.X_REPORT
        self.event(code, at, employee=employee, text=kind.heading, payload=report_payload(report))
        return report

    def event(
        self,
        code: EventCode,
        at: datetime,
        *,
        employee: str = "1",
        trans_id: str | None = None,
        text: str = "",
        training: bool = False,
        payload: JsonObject | None = None,
    ) -> JournalEvent:
        self.seq += 1
        event = new_event(
            self.register_id,
            self.seq,
            code,
            at,
            employee=employee,
            text=text,
            trans_id=trans_id,
            training=training,
            payload=payload,
        )
        self.events.append(event)
        return event


def t(minutes: int) -> datetime:
    return DAY + timedelta(minutes=minutes)


@dataclass
class Shop:
    tills: dict[str, Till]

    def export(self, out: BinaryIO, **overrides: object) -> ExportSummary:
        """The shop's file through the production writer, ``write_saft``: the tills'
        records (or ``events_by_register`` / ``transactions_by_register`` given) go in as
        the rows storage would read back (``storage/record_rows.py``), unless rows are
        given (``event_rows_by_register`` / ``transaction_rows_by_register``)."""
        args = self._arguments(overrides)
        events = cast("Callable[[str], Iterable[JournalEvent]]", args.pop("events_by_register"))
        transactions = cast(
            "Callable[[str], Iterable[Transaction]]", args.pop("transactions_by_register")
        )
        args.setdefault("event_rows_by_register", lambda rid: event_pages(events(rid), 100))
        args.setdefault(
            "transaction_rows_by_register", lambda rid: transaction_pages(transactions(rid), 100)
        )
        return write_saft(out, **args)  # type: ignore[arg-type]

    def export_records(self, out: BinaryIO, **overrides: object) -> ExportSummary:
        """The same file written from the records by the test reference
        (``saft_reference.py``)."""
        return write_saft_records(out, **self._arguments(overrides))  # type: ignore[arg-type]

    def _arguments(self, overrides: dict[str, object]) -> dict[str, object]:
        args: dict[str, object] = {
            "company": COMPANY,
            "registers": REGISTERS,
            "period_start": date(2026, 3, 28),
            "period_end": date(2026, 3, 29),
            "created_at": datetime(2026, 3, 30, 6, 0, tzinfo=UTC),
            "software_version": "0.1.0",
            "vat_rates": RATES,
            "groups": GROUPS,
            "employees": [
                EmployeeEntry(e, datetime(2026, 1, 2, 9, tzinfo=UTC)) for e in (KARI, OLA)
            ],
            "articles": [ArticleEntry(p, date(2026, 1, 2)) for p in PRODUCTS],
            "customers": [CUSTOMER],
            "events_by_register": lambda rid: iter(self.tills[rid].events),
            "transactions_by_register": lambda rid: iter(self.tills[rid].transactions),
            "exported_by": "2",
        }
        args.update(overrides)
        return args


def build_shop() -> Shop:
    """Two registers over two days: every kind of transaction and the events around them."""
    one, two = Till("1"), Till("2")
    one.event(EventCode.POS_START, t(0), employee="")
    one.event(EventCode.LOGIN, t(1))
    float_ = one.movement(TransactionKind.OPENING_FLOAT, Money.kroner(1000), t(2))
    one.event(EventCode.DRAWER_OPEN, t(2), trans_id=float_.trans_id)

    # Several VAT rates, a line discount by the manager, cash with change and rounding.
    sale = one.sale(t(10))
    sale.add_product(MILK, Decimal(2), at=t(10), employee="1")
    sale.add_product(BATTERY, at=t(10), employee="1")
    sale.add_product(TICKET, at=t(11), employee="1")
    sale.add_product(NEWSPAPER, at=t(11), employee="1")
    sale.discount_line(2, DiscountSpec.percent_off(Decimal(10), employee="2", reason="Skadet eske"))
    sale.pay_cash(Money.kroner(500), employee="1")
    first = one.complete(sale, t(12))
    one.event(EventCode.SALES_RECEIPT, t(12), trans_id=first.trans_id)
    one.event(EventCode.DRAWER_OPEN, t(12), trans_id=first.trans_id)
    one.event(
        EventCode.COPY_RECEIPT,
        t(13),
        trans_id=first.trans_id,
        payload=copy_receipt_payload(first.receipt_id, first.total),
    )

    # Card and cash split, a whole-sale discount, a weighed item, a voided line.
    sale = one.sale(t(20))
    sale.add_product(CHEESE, Decimal("0.755"), at=t(20), employee="1")
    sale.add_product(SODA, Decimal(3), at=t(20), employee="1")
    sale.add_product(MILK, at=t(21), employee="1")
    sale.void_line(3, at=t(21), employee="1")
    one.event(
        EventCode.LINE_DELETE,
        t(21),
        payload=line_correction_payload(3, MILK.sku, Decimal(1), MILK.price),
    )
    sale.discount_sale(DiscountSpec.amount_off(Money.kroner(20), employee="2"))
    sale.pay_card(
        Money.kroner(100), terminal_transaction_id="BAX 4711", masked_card="****1234", employee="1"
    )
    sale.pay_cash(employee="1")
    split = one.complete(sale, t(22))
    one.event(EventCode.SALES_RECEIPT, t(22), trans_id=split.trans_id)

    one.event(
        EventCode.PRICE_LOOKUP,
        t(25),
        payload=price_lookup_payload(SODA.sku, SODA.group, SODA.price),
    )
    one.event(EventCode.DRAWER_OPEN_NO_SALE, t(26), payload=drawer_open_payload("Veksle"))

    # A return of one milk from the first receipt, refunded in cash.
    sale = one.sale(t(30))
    sale.add_return(first, 1, Decimal(1), at=t(30), employee="1")
    sale.pay_cash(employee="1")
    returned = one.complete(sale, t(31))
    one.event(EventCode.RETURN_RECEIPT, t(31), trans_id=returned.trans_id)

    # A voided receipt, then a credit sale with delivery receipt, then Vipps.
    sale = one.sale(t(40))
    sale.add_product(BATTERY, at=t(40), employee="1")
    voided = one.complete(sale, t(41), voided=True)
    one.event(EventCode.VOID_RECEIPT, t(41), trans_id=voided.trans_id)
    sale = one.sale(t(50), employee="2")
    sale.add_product(BATTERY, Decimal(10), at=t(50), employee="2")
    sale.attach_customer(CUSTOMER)
    sale.pay_account(employee="2", reference="K1-2026-1")
    credit = one.complete(sale, t(51))
    one.event(EventCode.DELIVERY_RECEIPT, t(51), employee="2", trans_id=credit.trans_id)
    sale = one.sale(t(60))
    sale.add_product(SODA, at=t(60), employee="1")
    sale.pay_mobile(SODA.price, transaction_id="VIPPS-88", employee="1")
    vipps = one.complete(sale, t(61))
    one.event(EventCode.NO_PRINT, t(61), trans_id=vipps.trans_id, text="Kvittering på e-post")

    # Training: marked, own series, in the same chain.
    one.event(EventCode.TRAINING_ON, t(70))
    sale = one.sale(t(71), training=True)
    sale.add_product(MILK, at=t(71), employee="1")
    sale.pay_cash(employee="1")
    training = one.complete(sale, t(72))
    one.event(EventCode.TRAINING_RECEIPT, t(72), trans_id=training.trans_id, training=True)
    one.event(EventCode.TRAINING_OFF, t(73))
    one.report(ReportKind.X, 1, t(75))
    out = one.movement(TransactionKind.CASH_OUT, Money.kroner(300), t(80))
    one.event(EventCode.CASH_OUT, t(80), trans_id=out.trans_id)

    # Register 2, the next day, after the switch to summer time.
    next_day = DAY + timedelta(days=1, hours=2)
    two.event(EventCode.LOGIN, next_day, employee="2")
    sale = two.sale(next_day, employee="2")
    sale.add_product(MILK, at=next_day, employee="2")
    sale.pay_cash(employee="2")
    two.complete(sale, next_day + timedelta(seconds=30))
    two.report(ReportKind.Z, 1, next_day + timedelta(minutes=4))
    two.event(EventCode.LOGOUT, next_day + timedelta(minutes=5), employee="2")
    one.report(ReportKind.Z, 1, t(89))
    one.event(EventCode.LOGOUT, t(90))
    one.event(EventCode.POS_STOP, t(91), employee="")
    return Shop({"1": one, "2": two})


@pytest.fixture(scope="module")
def shop() -> Shop:
    return build_shop()


@pytest.fixture(scope="module")
def exported(shop: Shop, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ExportSummary]:
    path = tmp_path_factory.mktemp("saft") / "export.xml"
    summary = export_saft_file(path, shop.export)
    return path, summary


@pytest.fixture(scope="module")
def doc(exported: tuple[Path, ExportSummary]) -> etree._Element:
    return etree.parse(str(exported[0])).getroot()


def texts(node: etree._Element, path: str) -> list[str]:
    found = node.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [
        str(item.text or "") if isinstance(item, etree._Element) else str(item) for item in found
    ]


def text(node: etree._Element, path: str) -> str:
    values = texts(node, path)
    assert len(values) == 1, f"{path}: {values}"
    return values[0]


def nodes(node: etree._Element, path: str) -> list[etree._Element]:
    found = node.xpath(path, namespaces=NS)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def cash_tx(doc: etree._Element, trans_id: str) -> etree._Element:
    found = nodes(doc, f"//s:cashtransaction[s:transID='{trans_id}']")
    assert len(found) == 1
    return found[0]


# --- the schema ------------------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(DATA.glob("ExampleFile SAF-T Cash Register_*.xml")))
def test_the_official_example_files_pass_the_xmllint_check(example: Path) -> None:
    result = xmllint(example)
    assert result.returncode == 0, result.stderr
    assert "validates" in result.stderr


def test_the_xmllint_check_rejects_a_file_that_breaks_the_schema(tmp_path: Path) -> None:
    example = DATA / "ExampleFile SAF-T Cash Register_999999999_20210330104000.xml"
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        example.read_bytes().replace(b"<amntTp>C</amntTp>", b"<amntTp>X</amntTp>", 1)
    )
    result = xmllint(broken)
    assert result.returncode != 0
    assert "amntTp" in result.stderr


def test_the_export_validates_against_the_official_schema(
    exported: tuple[Path, ExportSummary],
) -> None:
    result = xmllint(exported[0])
    assert result.returncode == 0, result.stderr


def test_the_summary_counts_what_was_written(
    shop: Shop, exported: tuple[Path, ExportSummary], doc: etree._Element
) -> None:
    summary = exported[1]
    assert summary.registers == 2
    assert summary.transactions == sum(len(till.transactions) for till in shop.tills.values())
    assert summary.events == sum(len(till.events) for till in shop.tills.values())
    assert len(nodes(doc, "//s:cashtransaction")) == summary.transactions
    assert len(nodes(doc, "//s:event")) == summary.events
    assert (summary.employees, summary.articles, summary.customers) == (2, len(PRODUCTS), 1)


# --- header, company and master data ---------------------------------------------------------


def test_the_header_names_the_period_the_software_and_the_time_in_oslo(doc: etree._Element) -> None:
    header = nodes(doc, "s:header")[0]
    assert text(header, "s:fiscalYear") == "2026"
    assert (text(header, "s:startDate"), text(header, "s:endDate")) == ("2026-03-28", "2026-03-29")
    assert text(header, "s:curCode") == "NOK"
    assert (text(header, "s:dateCreated"), text(header, "s:timeCreated")) == (
        "2026-03-30",
        "08:00:00",
    )
    assert text(header, "s:softwareDesc") == "OmniPOS"
    assert text(header, "s:auditfileVersion") == "1.0"
    assert text(header, "s:userID") == "2"


def test_the_company_carries_its_organisation_number_with_mva(doc: etree._Element) -> None:
    company = nodes(doc, "s:company")[0]
    assert text(company, "s:companyIdent") == "999999999"
    assert text(company, "s:companyName") == "Nærbutikken AS"
    assert text(company, "s:taxRegIdent") == "999999999MVA"
    assert text(company, "s:postalAddress/s:postalCode") == "0155"


def test_vat_codes_map_to_standard_tax_codes(doc: etree._Element) -> None:
    pairs = dict(
        zip(
            texts(doc, "//s:vatCodeDetail/s:vatCode"),
            texts(doc, "//s:vatCodeDetail/s:standardVatCode"),
            strict=True,
        )
    )
    assert pairs == {"3": "3", "31": "31", "33": "33", "5": "5", "6": "6"}


def test_employees_are_split_into_first_and_surname_with_their_role(doc: etree._Element) -> None:
    kari = nodes(doc, "//s:employee[s:empID='1']")[0]
    assert (text(kari, "s:firstName"), text(kari, "s:surName")) == ("Kari", "Nordmann")
    assert (text(kari, "s:dateOfEntry"), text(kari, "s:timeOfEntry")) == ("2026-01-02", "10:00:00")
    assert text(kari, "s:employeeRole/s:roleType") == "cashier"
    ola = nodes(doc, "//s:employee[s:empID='2']")[0]
    assert texts(ola, "s:firstName") == [] and text(ola, "s:surName") == "Ola"


def test_every_code_used_is_declared_in_basics_with_its_basic_type(doc: etree._Element) -> None:
    declared = {
        text(basic, "s:basicID"): text(basic, "s:basicType") for basic in nodes(doc, "//s:basic")
    }
    uses = {
        "04": "//s:ctLine/s:artGroupID | //s:article/s:artGroupID",
        "05": "//s:ctLine/s:lineType",
        "08": "//s:discount/s:dscTp",
        "11": "//s:cashtransaction/s:transType",
        "12": "//s:payment/s:paymentType",
        "13": "//s:event/s:eventType",
    }
    for basic_type, path in uses.items():
        used = set(texts(doc, path))
        assert used, path
        assert {declared.get(code) for code in used} == {basic_type}, (basic_type, used)


def test_every_kind_tender_line_type_and_event_code_has_one_unique_saft_code() -> None:
    assert set(TRANSACTION_CODES) == set(TransactionKind)
    assert set(LINE_CODES) == set(LineKind)
    assert set(PAYMENT_CODES) == set(TenderKind)
    assert set(EVENT_CODES) == set(EventCode)
    ids = [basic.basic_id for basic in fixed_basics()]
    assert len(ids) == len(set(ids))
    assert all(0 < len(basic_id) <= 35 for basic_id in ids)


def test_article_groups_and_events_map_to_predefined_codes(doc: etree._Element) -> None:
    predefined = {
        text(basic, "s:basicID"): texts(basic, "s:predefinedBasicID")
        for basic in nodes(doc, "//s:basic")
    }
    assert predefined["10"] == ["04006"]
    assert predefined["PRICELOOKUP"] == ["13022"]
    assert predefined["DRAWOPENNOSALE"] == predefined["DRAWOPEN"] == ["13005"]
    assert predefined["KONTANTSALG"] == ["11001"]
    assert predefined["VIPPS"] == ["12011"]
    assert predefined["SALGSLINJE"] == []


# --- events ----------------------------------------------------------------------------


def test_each_register_lists_all_its_events_before_its_transactions(doc: etree._Element) -> None:
    for register in nodes(doc, "//s:cashregister"):
        names = [etree.QName(child).localname for child in register]
        assert names[:2] == ["registerID", "regDesc"]
        kinds = names[2:]
        assert kinds == sorted(kinds, key=lambda name: name != "event")
        assert "event" in kinds and "cashtransaction" in kinds


def test_events_keep_journal_ids_oslo_times_and_transaction_links(
    shop: Shop, doc: etree._Element
) -> None:
    register = nodes(doc, "//s:cashregister[s:registerID='1']")[0]
    events = shop.tills["1"].events
    assert texts(register, "s:event/s:eventID") == [e.event_id for e in events]
    assert texts(register, "s:event/s:eventType") == [e.code.value for e in events]
    login = nodes(register, "s:event[s:eventType='LOGIN']")[0]
    assert (text(login, "s:eventDate"), text(login, "s:eventTime")) == ("2026-03-28", "09:01:00")
    copy = nodes(register, "s:event[s:eventType='COPYRECEIPT']")[0]
    assert text(copy, "s:transID") == "1-2"
    start = nodes(register, "s:event[s:eventType='POSSTART']")[0]
    assert texts(start, "s:empID") == []


def test_price_lookups_and_line_deletions_are_described_like_skatteetatens_example(
    doc: etree._Element,
) -> None:
    lookup = text(doc, "//s:event[s:eventType='PRICELOOKUP']/s:eventText")
    assert lookup == "artID 2001; artGroupID 20; lineAmntIn 34.90"
    deleted = text(doc, "//s:event[s:eventType='LINEDELETE']/s:eventText")
    assert deleted == "lineID 3; artID 1001; qnt 1; lineAmntIn 21.90"
    assert text(doc, "//s:event[s:eventType='DRAWOPENNOSALE']/s:eventText") == "Årsak Veksle"
    assert text(doc, "//s:event[s:eventType='TRAININGRECEIPT']/s:eventText") == "Treningsmodus"


def test_event_text_does_not_repeat_free_text_but_keeps_codes_and_amounts() -> None:
    drawer = new_event(
        "1",
        1,
        EventCode.DRAWER_OPEN_NO_SALE,
        DAY,
        text="Skuff åpnet uten salg: Veksle",
        payload=drawer_open_payload("Veksle"),
    )
    assert event_text(drawer) == "Skuff åpnet uten salg: Veksle"
    lookup = new_event(
        "1",
        2,
        EventCode.PRICE_LOOKUP,
        DAY,
        text="Prisforespørsel 2001",
        payload=price_lookup_payload("2001", "20", Money(3490)),
    )
    assert event_text(lookup) == "Prisforespørsel 2001; artID 2001; artGroupID 20; lineAmntIn 34.90"
    damaged = new_event("1", 3, EventCode.PRICE_LOOKUP, DAY, payload={"sku": 7, "amount": "x"})
    assert event_text(damaged) == "artID 7"


# --- cash transactions -------------------------------------------------------------------


def test_signed_fields_and_signatures_are_byte_identical_to_the_transactions(
    shop: Shop, doc: etree._Element
) -> None:
    for till in shop.tills.values():
        for tx in till.transactions:
            node = cash_tx(doc, tx.trans_id)
            assert text(node, "s:nr") == str(tx.nr)
            assert text(node, "s:transDate") == tx.trans_date
            assert text(node, "s:transTime") == tx.trans_time
            assert text(node, "s:transAmntIn") == tx.total.saft()
            assert text(node, "s:transAmntEx") == tx.total_ex_vat.saft()
            assert text(node, "s:signature") == tx.signature
            assert text(node, "s:keyVersion") == "1"


def test_every_signature_verifies_from_the_file_alone(doc: etree._Element) -> None:
    checked = 0
    for register in nodes(doc, "//s:cashregister"):
        previous = "0"
        for node in nodes(register, "s:cashtransaction"):
            message = ";".join(
                [previous]
                + [text(node, f"s:{name}") for name in ("transDate", "transTime", "nr")]
                + [text(node, "s:transAmntIn"), text(node, "s:transAmntEx")]
            )
            signature = text(node, "s:signature")
            assert KEY.verify(message, signature), message
            previous = signature
            checked += 1
    assert checked == 10


def test_lines_carry_amounts_vat_and_quantities_that_add_up(doc: etree._Element) -> None:
    for node in nodes(doc, "//s:cashtransaction[s:ctLine]"):
        lines = nodes(node, "s:ctLine")
        total = sum(Decimal(text(line, "s:lineAmntIn")) for line in lines)
        assert total == Decimal(text(node, "s:transAmntIn"))
        for line in lines:
            gross = Decimal(text(line, "s:lineAmntIn"))
            net = Decimal(text(line, "s:lineAmntEx"))
            assert Decimal(text(line, "s:vat/s:vatAmnt")) + net == gross
            assert Decimal(text(line, "s:vat/s:vatBasAmnt")) == net
        by_rate = sum(Decimal(v) for v in texts(node, "s:vat/s:vatAmnt"))
        assert by_rate == sum(Decimal(v) for v in texts(node, "s:ctLine/s:vat/s:vatAmnt"))


def test_a_cash_sale_shows_rates_discount_rounding_and_cash_after_change(
    shop: Shop, doc: etree._Element
) -> None:
    tx = shop.tills["1"].transactions[1]
    node = cash_tx(doc, tx.trans_id)
    assert text(node, "s:transType") == "KONTANTSALG"
    assert texts(node, "s:ctLine/s:vat/s:vatPerc") == ["15.00", "25.00", "12.00", "0.00"]
    assert texts(node, "s:vat/s:vatCode") == ["31", "3", "33", "5"]
    battery = nodes(node, "s:ctLine[s:artID='3001']")[0]
    assert text(battery, "s:ppu") == "89.90"
    assert text(battery, "s:lineAmntIn") == "80.91"
    assert text(battery, "s:discount/s:dscTp") == "LINJERABATT"
    assert text(battery, "s:discount/s:dscAmnt") == "8.99"
    assert text(battery, "s:discount/s:empID") == "2"
    assert "rabatt: Skadet eske" in text(battery, "s:cashTransLineDescr")
    assert text(node, "s:transAmntIn") == "203.71"
    assert text(node, "s:rounding/s:roundingAmnt") == "0.29"
    assert text(node, "s:payment/s:paymentType") == "KONTANT"
    assert text(node, "s:payment/s:paidAmnt") == "204.00"
    assert text(node, "s:payment/s:curCode") == "NOK"


def test_a_split_payment_lists_card_then_cash_with_the_terminal_id(
    shop: Shop, doc: etree._Element
) -> None:
    tx = shop.tills["1"].transactions[2]
    node = cash_tx(doc, tx.trans_id)
    assert texts(node, "s:payment/s:paymentType") == ["BANKKORT", "KONTANT"]
    assert texts(node, "s:payment/s:paymentRefID")[0] == "BAX 4711"
    paid = sum(Decimal(v) for v in texts(node, "s:payment/s:paidAmnt"))
    assert paid == Decimal(text(node, "s:transAmntIn")) + Decimal(
        text(node, "s:rounding/s:roundingAmnt")
    )
    cheese = nodes(node, "s:ctLine[s:artID='1002']")[0]
    assert text(cheese, "s:qnt") == "0.755"
    assert text(cheese, "s:discount/s:dscTp") == "KVITTERINGSRABATT"
    correction = nodes(node, "s:ctLine[s:lineType='KORRLINJE']")[0]
    assert text(correction, "s:qnt") == "-1"
    assert text(correction, "s:lineAmntIn") == "-21.90"
    assert text(correction, "s:amntTp") == "D"
    assert "korrigerer linje 3" in text(correction, "s:cashTransLineDescr")


def test_a_return_is_a_debit_with_negative_quantity_amounts_and_vat(
    shop: Shop, doc: etree._Element
) -> None:
    tx = shop.tills["1"].transactions[3]
    node = cash_tx(doc, tx.trans_id)
    assert text(node, "s:transType") == "RETUR"
    assert text(node, "s:amntTp") == "D"
    assert text(node, "s:transAmntIn") == "-21.90"
    assert text(node, "s:refID") == "1-1"
    line = nodes(node, "s:ctLine")[0]
    assert (text(line, "s:lineType"), text(line, "s:qnt")) == ("RETURLINJE", "-1")
    assert text(line, "s:amntTp") == text(line, "s:vat/s:vatAmntTp") == "D"
    assert text(line, "s:vat/s:vatAmnt") == "-2.86"
    assert text(line, "s:vat/s:vatPerc") == "15.00"
    assert "retur fra kvittering 1-1 linje 1" in text(line, "s:cashTransLineDescr")
    assert text(node, "s:payment/s:paidAmnt") == "-22.00"
    assert text(node, "s:receiptNum") == "1"


def test_receipt_counters_follow_the_journal(shop: Shop, doc: etree._Element) -> None:
    txs = shop.tills["1"].transactions
    counters = ("receiptNum", "receiptCopyNum", "receiptProformaNum", "receiptDeliveryNum")

    def counts(tx: Transaction) -> list[str]:
        node = cash_tx(doc, tx.trans_id)
        return [text(node, f"s:{name}") for name in counters]

    assert counts(txs[0]) == ["0", "0", "0", "0"]  # opening float: no receipt
    assert counts(txs[1]) == ["1", "1", "0", "0"]  # sale with one copy
    assert counts(txs[5]) == ["0", "0", "0", "1"]  # credit sale: delivery receipt
    assert counts(txs[6]) == ["0", "0", "0", "0"]  # concluded without a printed receipt
    assert counts(txs[7]) == ["1", "0", "0", "0"]  # training receipt


def test_void_training_and_credit_sales_are_marked(shop: Shop, doc: etree._Element) -> None:
    txs = shop.tills["1"].transactions
    voided, credit, training = (
        cash_tx(doc, txs[4].trans_id),
        cash_tx(doc, txs[5].trans_id),
        cash_tx(doc, txs[7].trans_id),
    )
    assert text(voided, "s:voidTransaction") == "true"
    assert texts(voided, "s:payment") == []
    assert text(training, "s:trainingID") == "true"
    assert text(credit, "s:trainingID") == text(credit, "s:voidTransaction") == "false"
    assert text(credit, "s:transType") == "KREDITTSALG"
    assert text(credit, "s:custSupID") == "K1"
    assert text(credit, "s:payment/s:paymentType") == "KUNDEKONTO"


def test_cash_movements_have_no_lines_and_a_signed_cash_payment(
    shop: Shop, doc: etree._Element
) -> None:
    txs = shop.tills["1"].transactions
    opening, out = cash_tx(doc, txs[0].trans_id), cash_tx(doc, txs[-1].trans_id)
    assert (text(opening, "s:transType"), text(opening, "s:amntTp")) == ("VEKSELKASSE", "C")
    assert text(opening, "s:payment/s:paidAmnt") == "1000.00"
    assert (text(out, "s:transType"), text(out, "s:amntTp")) == ("UTTAK", "D")
    assert text(out, "s:transAmntIn") == "-300.00"
    assert text(out, "s:desc") == "Til banken"
    assert nodes(out, "s:ctLine") == []


def test_times_after_the_switch_to_summer_time_are_written_as_signed(
    shop: Shop, doc: etree._Element
) -> None:
    tx = shop.tills["2"].transactions[0]
    node = cash_tx(doc, tx.trans_id)
    assert (text(node, "s:transDate"), text(node, "s:transTime")) == ("2026-03-29", "12:00:30")
    assert text(node, "s:ctLine/s:lineTime") == "12:00:00"


# --- X and Z reports ------------------------------------------------------------------------


def report_of(shop: Shop, register_id: str, kind: ReportKind) -> Report:
    from omnipos_tui.core.reports.report import report_from_event

    code = EventCode.Z_REPORT if kind is ReportKind.Z else EventCode.X_REPORT
    return report_from_event(next(e for e in shop.tills[register_id].events if e.code is code))


def test_the_z_report_event_carries_the_whole_report_in_xsd_form(
    shop: Shop, doc: etree._Element
) -> None:
    report = report_of(shop, "1", ReportKind.Z)
    node = nodes(doc, "//s:cashregister[s:registerID='1']/s:event[s:eventType='ZREPORT']")[0]
    assert text(node, "s:eventText") == "Z-rapport"
    ev = nodes(node, "s:eventReport")[0]
    assert text(ev, "s:reportID") == "1-Z-1"
    assert text(ev, "s:reportType") == "Z report"
    assert (text(ev, "s:companyIdent"), text(ev, "s:registerID")) == ("999999999", "1")
    assert (text(ev, "s:reportDate"), text(ev, "s:reportTime")) == ("2026-03-28", "10:29:00")
    assert text(ev, "s:reportTotalCashSales/s:totalCashSaleAmnt") == report.total_sales.saft()
    groups = dict(
        zip(
            texts(ev, "s:reportArtGroups/*/s:artGroupID"),
            texts(ev, "s:reportArtGroups/*/s:artGroupAmnt"),
            strict=True,
        )
    )
    assert groups == {row.group: row.amount.saft() for row in report.art_groups}
    assert sum(Decimal(v) for v in groups.values()) == report.total_sales.to_decimal()
    payments = texts(ev, "s:reportPayments/*/s:paymentType")
    assert set(payments) <= {"KONTANT", "BANKKORT", "VIPPS", "GAVEKORT", "KUNDEKONTO"}
    assert texts(ev, "s:reportCashSalesVat/*/s:cashSaleAmnt") == [
        row.basis.saft() for row in report.vat
    ]
    assert text(ev, "s:reportReceiptNum") == str(report.receipt_count)
    assert text(ev, "s:reportOpenCashBoxNum") == "1"
    assert (text(ev, "s:reportReceiptCopyNum"), text(ev, "s:reportReceiptCopyAmnt")) == (
        "1",
        "203.71",
    )
    assert (text(ev, "s:reportReturnNum"), text(ev, "s:reportReturnAmnt")) == ("1", "21.90")
    assert text(ev, "s:reportVoidTransNum") == "1"
    assert text(ev, "s:reportTrainingNum") == "1"
    assert text(ev, "s:reportPriceInquiries/*/s:priceInquiryGroup") == "20"
    assert text(ev, "s:reportGrandTotalSales") == report.grand_totals.sales.saft()
    assert text(ev, "s:reportGrandTotalSalesNet") == report.grand_totals.net.saft()
    assert Decimal(text(ev, "s:reportGrandTotalSales")) - Decimal(
        text(ev, "s:reportGrandTotalReturn")
    ) == Decimal(text(ev, "s:reportGrandTotalSalesNet"))


def test_an_x_report_is_exported_as_an_x_report(doc: etree._Element) -> None:
    node = nodes(doc, "//s:event[s:eventType='XREPORT']")[0]
    assert text(node, "s:eventReport/s:reportType") == "X report"
    assert text(node, "s:eventReport/s:reportID") == "1-X-1"


def test_empty_mandatory_report_lists_get_a_none_row_like_skatteetatens_example(
    doc: etree._Element,
) -> None:
    ev = nodes(doc, "//s:cashregister[s:registerID='2']//s:eventReport")[0]
    assert text(ev, "s:reportID") == "2-Z-1"
    assert texts(ev, "s:reportOtherCorrs/*/s:otherCorrType") == ["None"]
    assert texts(ev, "s:reportOtherCorrs/*/s:otherCorrNum") == ["0"]
    assert texts(ev, "s:reportPriceInquiries/*/s:priceInquiryGroup") == ["None"]


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_amounts_are_written_with_a_point_and_two_decimals(ore: int) -> None:
    expected = f"{Decimal(ore) / 100:.2f}"
    assert saft_amount(ore) == Money(ore).saft() == expected


def test_records_of_many_shapes_come_out_right_when_templates_are_dropped() -> None:
    out = io.BytesIO()
    with etree.xmlfile(out, encoding="UTF-8") as xf, xf.element(f"{{{NAMESPACE}}}root"):
        records = RecordWriter(xf, NAMESPACE, max_templates=2)
        for n in range(12):
            rec = records.start("item")
            rec.leaf("id", str(n))
            for extra in range(n % 4):
                rec.open("sub")
                rec.leaf("value", f"<{n}.{extra} & æ>")
                rec.close()
            rec.optional("note", "" if n % 3 else f"note {n}")
            records.write(rec, where=f"item {n}")
    root = etree.fromstring(out.getvalue())
    items = nodes(root, "s:item")
    assert texts(root, "s:item/s:id") == [str(n) for n in range(12)]
    for n, item in enumerate(items):
        assert texts(item, "s:sub/s:value") == [f"<{n}.{extra} & æ>" for extra in range(n % 4)]
        assert texts(item, "s:note") == ([] if n % 3 else [f"note {n}"])


# --- bad input ------------------------------------------------------------------------------


def failed_export(shop: Shop, target: Path, *, records: bool = False, **overrides: object) -> str:
    """The message of an export that fails (with ``records``: of the test reference)."""
    export = shop.export_records if records else shop.export
    with pytest.raises(InvalidInput) as caught:
        export_saft_file(target, lambda out: export(out, **overrides))
    return str(caught.value)


def test_a_line_whose_article_is_not_exported_fails_and_leaves_the_old_file(
    shop: Shop, tmp_path: Path
) -> None:
    target = tmp_path / "export.xml"
    target.write_text("previous export")
    articles = [ArticleEntry(p, date(2026, 1, 2)) for p in PRODUCTS if p is not BATTERY]
    message = failed_export(shop, target, articles=articles)
    assert message == "transaction 1-2 line 2: article '3001' is not among the exported articles"
    assert target.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["export.xml"]


def test_an_employee_missing_from_the_export_is_named(shop: Shop, tmp_path: Path) -> None:
    employees = [EmployeeEntry(KARI, datetime(2026, 1, 2, tzinfo=UTC))]
    message = failed_export(shop, tmp_path / "x.xml", employees=employees)
    assert "employee '2' is not among the exported employees" in message
    assert not (tmp_path / "x.xml").exists()


def test_a_control_character_in_a_name_is_refused_with_the_article(
    shop: Shop, tmp_path: Path
) -> None:
    broken = replace(MILK, name="Lettmelk\x07")
    articles = [ArticleEntry(p, date(2026, 1, 2)) for p in (broken, *PRODUCTS[1:])]
    message = failed_export(shop, tmp_path / "x.xml", articles=articles)
    assert message.startswith("article '1001': ")
    assert list(tmp_path.iterdir()) == []


def test_unsigned_or_unordered_transactions_and_foreign_events_are_refused(
    shop: Shop, tmp_path: Path
) -> None:
    txs = shop.tills["1"].transactions
    unsigned = [txs[0], replace(txs[1], signature="")]
    message = failed_export(
        shop, tmp_path / "x.xml", transactions_by_register=lambda rid: iter(unsigned)
    )
    assert message == "transaction 1-2: is not signed"
    backwards = [txs[1], txs[0]]
    message = failed_export(
        shop, tmp_path / "x.xml", transactions_by_register=lambda rid: iter(backwards)
    )
    assert message == "transaction 1-1: transactions must come in number order (after 2)"
    # Storage selects the rows by register, so the rows carry none: only the records of
    # the test reference can belong to another register, and it refuses them.
    foreign = shop.tills["2"].events
    message = failed_export(
        shop, tmp_path / "x.xml", records=True, events_by_register=lambda rid: iter(foreign)
    )
    assert message == "event 2-1: belongs to register '2'"


def test_an_article_group_code_that_clashes_with_our_codes_is_refused(
    shop: Shop, tmp_path: Path
) -> None:
    groups = (*GROUPS, ArticleGroup("KONTANT", "Kontanter", "04999"))
    message = failed_export(shop, tmp_path / "x.xml", groups=groups)
    assert "article group 'KONTANT'" in message


def test_article_groups_must_be_exported_for_articles_and_lines(shop: Shop, tmp_path: Path) -> None:
    message = failed_export(shop, tmp_path / "x.xml", groups=GROUPS[1:])
    assert message == "article '1001': article group '10' is not among the exported groups"
    stray = replace(shop.tills["2"].transactions[0], lines=())
    line = replace(shop.tills["2"].transactions[0].lines[0], group_code="99")
    message = failed_export(
        shop,
        tmp_path / "x.xml",
        registers=REGISTERS[1:],
        transactions_by_register=lambda rid: iter([replace(stray, lines=(line,))]),
    )
    assert message == "transaction 2-1 line 1: article group '99' is not among the exported groups"


def test_free_text_longer_than_saft_allows_is_cut_and_still_validates(
    shop: Shop, tmp_path: Path
) -> None:
    txs = shop.tills["1"].transactions
    long_note = [replace(txs[0], note="Vekselkasse " * 1000), *txs[1:]]
    target = tmp_path / "x.xml"
    export_saft_file(
        target,
        lambda out: shop.export(
            out,
            transactions_by_register=lambda rid: iter(
                long_note if rid == "1" else shop.tills[rid].transactions
            ),
        ),
    )
    assert xmllint(target).returncode == 0
    desc = text(cash_tx(etree.parse(str(target)).getroot(), "1-1"), "s:desc")
    assert len(desc) == 9999


def test_a_missing_directory_is_a_storage_error(shop: Shop, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot write in"):
        export_saft_file(tmp_path / "missing" / "x.xml", shop.export)


def test_a_backwards_period_is_refused_before_anything_is_written(shop: Shop) -> None:
    out = io.BytesIO()
    with pytest.raises(InvalidInput, match="ends"):
        shop.export(out, period_start=date(2026, 3, 29), period_end=date(2026, 3, 28))
    assert out.getvalue() == b""


# --- streaming ------------------------------------------------------------------------------


def chained(shop: Shop, count: int) -> Iterator[Transaction]:
    """``count`` numbered, signed transactions made from register 1's short records (no
    lines or one line: the streaming test is about memory, and tracing makes it slow)."""
    base = [tx for tx in shop.tills["1"].transactions if len(tx.lines) <= 1]
    previous = "0"
    for nr in range(1, count + 1):
        template = base[nr % len(base)]
        message = signature_message(
            previous,
            template.trans_date,
            template.trans_time,
            nr,
            template.total,
            template.total_ex_vat,
        )
        signature = KEY.sign(message)
        yield replace(
            template, nr=nr, trans_id=f"1-{nr}", signature=signature, previous_signature=previous
        )
        previous = signature


def traced_peak(shop: Shop, count: int, target: Path) -> int:
    tracemalloc.start()
    try:
        with target.open("wb") as out:
            summary = shop.export(
                out,
                registers=REGISTERS[:1],
                events_by_register=lambda rid: iter(()),
                transactions_by_register=lambda rid: chained(shop, count),
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.transactions == count
    return peak


@pytest.mark.slow
def test_twenty_thousand_transactions_stream_through_in_flat_memory(
    shop: Shop, tmp_path: Path
) -> None:
    # Python allocations of the writer only (lxml's own buffers are C memory, and the
    # bench measures RSS): anything kept per transaction, even 50 bytes, would pass 1 MB.
    peak = traced_peak(shop, 20_000, tmp_path / "large.xml")
    assert peak < 1_000_000, f"peak {peak} bytes"
    root = etree.parse(str(tmp_path / "large.xml")).getroot()
    assert texts(root, "//s:cashtransaction[last()]/s:nr") == ["20000"]
