"""Reading the journal and the transactions back (streamed in pages), exports journaled,
master-data changes journaled (13021), and key rotation with the chain going on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from ledger_support import BREAD, CASHIER, COLA, MILK, cash_sale, open_shop, products, tick

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.ledger.journal import EventCode
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import MasterDataChange
from omnipos_tui.services.catalogue.service import record_master_data_changes
from omnipos_tui.services.ledger import journal as journal_module


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Services, FixedClock]:
    return open_shop(tmp_path)


def _three_days(services: Services, clock: FixedClock) -> None:
    for _ in range(3):
        cash_sale(services, clock, MILK)
        cash_sale(services, clock, BREAD, COLA)
        clock.advance(timedelta(days=1))


def test_transactions_stream_in_pages_by_business_day(
    shop: tuple[Services, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, clock = shop
    _three_days(services, clock)
    monkeypatch.setattr(journal_module, "PAGE", 2)
    everything = list(services.journal.transactions("1"))
    assert [t.nr for t in everything] == [1, 2, 3, 4, 5, 6]
    middle = list(
        services.journal.transactions(
            "1", first_day=date(2026, 11, 28), last_day=date(2026, 11, 28)
        )
    )
    assert [t.nr for t in middle] == [3, 4]
    assert [len(t.lines) for t in middle] == [1, 2]
    assert list(services.journal.transactions(None, first_day=date(2026, 12, 30))) == []


def test_events_are_filtered_by_time_day_code_and_count(
    shop: tuple[Services, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    services, clock = shop
    _three_days(services, clock)
    monkeypatch.setattr(journal_module, "PAGE", 3)
    receipts = list(services.journal.events("1", codes=[EventCode.SALES_RECEIPT]))
    assert len(receipts) == 6 and [e.seq for e in receipts] == sorted(e.seq for e in receipts)
    on_28th = list(services.journal.events("1", since=date(2026, 11, 28), until=date(2026, 11, 28)))
    assert {e.event_date for e in on_28th} == {"2026-11-28"} and len(on_28th) == 4
    since = receipts[2].at
    later = list(services.journal.events("1", since=since, codes=[EventCode.SALES_RECEIPT]))
    assert later == receipts[2:]
    assert len(list(services.journal.events(limit=5))) == 5


def test_an_export_is_journaled(shop: tuple[Services, FixedClock]) -> None:
    services, _ = shop
    services.journal.record_export(
        "1", date(2026, 11, 1), date(2026, 11, 30), "saft.xml", 42, employee="9"
    )
    [event] = services.journal.events("1", codes=[EventCode.EXPORT])
    assert (event.code.predefined, event.employee) == ("13020", "9")
    assert event.payload == {
        "from": "2026-11-01",
        "to": "2026-11-30",
        "file": "saft.xml",
        "transactions": 42,
    }


def test_a_price_change_from_the_command_line_is_journaled(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    tick(clock)
    milk = products()[0]
    services.catalogue.save_products([replace(milk, price=Money(2290))], actor="cli")
    [event] = list(services.journal.events("1", codes=[EventCode.PRICE_CHANGE]))[-1:]
    assert event.code.predefined == "13021"
    assert event.payload == {"sku": milk.sku, "old_price": 2190, "new_price": 2290}
    services.catalogue.save_products(
        [replace(p, price=Money(p.price.ore + 100)) for p in products()], actor="2"
    )
    bulk = list(services.journal.events("1", codes=[EventCode.PRICE_CHANGE]))[-1]
    assert (bulk.payload["count"], bulk.employee) == (4, "2")  # the milk was 22,90 already
    services.staff.add_employee("5", "Per Pedersen", services.staff.get("1").role, "5555")
    [*_, staff_change] = services.journal.events("1", codes=[EventCode.MASTER_DATA_CHANGE])
    assert staff_change.payload["entity"] == "employee"
    assert staff_change.payload["keys"] == ["5"]


def test_a_key_rotation_is_journaled_and_the_chain_goes_on(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    before = cash_sale(services, clock, MILK).transaction
    assert services.keys.versions() == ["1-1"] and services.keys.algorithm == "RSA-SHA1-1024"
    first_pem = services.keys.public_pem()
    assert first_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert services.keys.rotate(employee="9") == "1-2"
    after = cash_sale(services, clock, BREAD).transaction
    assert (before.key_version, after.key_version) == ("1-1", "1-2")
    assert after.previous_signature == before.signature
    [result] = services.journal.verify("1")
    assert result.ok and result.checked == 2
    [event] = services.journal.events("1", codes=[EventCode.KEY_ROTATED])
    assert event.payload == {"key_version": "1-2", "algorithm": "RSA-SHA1-1024"}
    recorded = services.keys.recorded("1")
    assert [(k.key_version, k.created_by) for k in recorded] == [("1-1", "init"), ("1-2", "9")]
    assert services.keys.public_pem("1-1") == first_pem != services.keys.public_pem()


def test_registers_are_listed_and_verified_one_by_one(shop: tuple[Services, FixedClock]) -> None:
    services, clock = shop
    cash_sale(services, clock, MILK)
    services.setup.add_register("2", "Kasse 2")
    cash_sale(services, clock, COLA, register_id="2", employee=CASHIER)
    assert [r.register_id for r in services.journal.registers()] == ["1", "2"]
    assert [(r.register_id, r.ok, r.checked) for r in services.journal.verify()] == [
        ("1", True, 1),
        ("2", True, 1),
    ]


def test_master_data_changes_are_journaled_only_when_their_unit_of_work_commits(
    shop: tuple[Services, FixedClock],
) -> None:
    services, clock = shop
    before = len(list(services.journal.events("1")))
    change = MasterDataChange(clock.now(), "cli", "customer", "20001", "name", "A", "B")
    with services.units() as uow:
        record_master_data_changes(uow, [change])
        # No commit: the change and its journal event vanish together.
    assert len(list(services.journal.events("1"))) == before
    with services.units() as uow:
        record_master_data_changes(uow, [change])
        uow.commit()
    [event] = list(services.journal.events("1"))[before:]
    assert (event.code, event.payload["entity"]) == (EventCode.MASTER_DATA_CHANGE, "customer")
