"""Journal event codes and the JournalEvent record."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.journal import (
    EVENT_CODES,
    PREDEFINED_EVENT_CODES,
    EventCode,
    JournalEvent,
    copy_receipt_payload,
    line_correction_payload,
    new_event,
    price_lookup_payload,
)
from omnipos_tui.core.money import Money

CODE_LIST = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "saft"
    / "Norwegian SAF-T Cash Register data - Code list - PredefinedBasicID-13.csv"
)
"""Skatteetaten's code list, copied into tests/data/saft (its source in SOURCES.md there)."""


def test_every_event_code_maps_to_a_predefined_code_and_a_norwegian_description() -> None:
    assert set(EVENT_CODES) == set(EventCode)
    for code in EventCode:
        assert code.predefined in PREDEFINED_EVENT_CODES
        assert code.description
        assert len(code.value) <= 35


@pytest.mark.parametrize(
    ("code", "predefined"),
    [
        (EventCode.POS_START, "13001"),
        (EventCode.LOGIN, "13003"),
        (EventCode.DRAWER_OPEN, "13005"),
        (EventCode.DRAWER_OPEN_NO_SALE, "13005"),
        (EventCode.X_REPORT, "13008"),
        (EventCode.Z_REPORT, "13009"),
        (EventCode.PARK, "13010"),
        (EventCode.RESUME, "13011"),
        (EventCode.SALES_RECEIPT, "13012"),
        (EventCode.COPY_RECEIPT, "13014"),
        (EventCode.PROFORMA_RECEIPT, "13015"),
        (EventCode.DELIVERY_RECEIPT, "13016"),
        (EventCode.CASH_OUT, "13019"),
        (EventCode.EXPORT, "13020"),
        (EventCode.PRICE_CHANGE, "13021"),
        (EventCode.PRICE_LOOKUP, "13022"),
        (EventCode.TRAINING_ON, "13023"),
        (EventCode.TRAINING_OFF, "13024"),
        (EventCode.VOID_RECEIPT, "13028"),
        (EventCode.LINE_DELETE, "13999"),
    ],
)
def test_codes_the_issue_names_map_as_the_code_list_says(code: EventCode, predefined: str) -> None:
    assert code.predefined == predefined


def test_predefined_codes_equal_skatteetatens_code_list() -> None:
    with CODE_LIST.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    official = {code: nob.strip() for code, _eng, nob in rows}
    assert official == PREDEFINED_EVENT_CODES


def _event(**changes: object) -> JournalEvent:
    fields: dict[str, object] = {
        "register_id": "1",
        "seq": 7,
        "code": EventCode.PRICE_LOOKUP,
        "at": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        "employee": "1001",
        "text": "Melk 1 l",
        "payload": price_lookup_payload("1001", "10", Money(2490)),
    }
    fields.update(changes)
    return new_event(**fields)  # type: ignore[arg-type]


def test_new_event_takes_oslo_date_and_time_across_the_spring_dst_change() -> None:
    before = _event(at=datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC))
    after = _event(at=datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC))
    assert (before.event_date, before.event_time) == ("2026-03-29", "01:59:59")
    assert (after.event_date, after.event_time) == ("2026-03-29", "03:00:00")


def test_event_round_trips_through_json_with_norwegian_letters_intact() -> None:
    event = _event(text="Prisforespørsel på brød", trans_id="1-17", training=True)
    text = event.to_json()
    assert "ø" in text
    assert JournalEvent.from_json(text) == event


def test_to_dict_holds_utc_iso_time_and_integer_ore() -> None:
    data = _event().to_dict()
    assert data["at"] == "2026-03-29T01:30:00+00:00"
    assert data["payload"] == {"sku": "1001", "group": "10", "amount": 2490}


def test_event_id_is_register_and_sequence() -> None:
    assert _event(register_id="2", seq=41).event_id == "2-41"


def test_payload_is_copied_so_later_changes_to_the_callers_dict_do_not_leak_in() -> None:
    payload = copy_receipt_payload("1-5", Money(14880))
    event = _event(code=EventCode.COPY_RECEIPT, payload=payload)
    payload["amount"] = 1
    assert event.amount() == Money(14880)


def test_floats_in_a_payload_are_refused_with_the_place_named() -> None:
    with pytest.raises(InvalidInput, match=r"payload\.lines\[1\]\.amount: float .*øre"):
        _event(payload={"lines": [{"amount": 1}, {"amount": 2.5}]})


def test_decimals_in_a_payload_are_refused() -> None:
    with pytest.raises(InvalidInput, match="Decimal is not a JSON value"):
        _event(payload={"quantity": Decimal("1.5")})


def test_line_correction_payload_keeps_quantity_as_decimal_text() -> None:
    payload = line_correction_payload(3, "2001", Decimal("-0.250"), Money(-1990))
    assert payload == {"line": 3, "sku": "2001", "quantity": "-0.250", "amount": -1990}
    assert json.loads(json.dumps(payload)) == payload


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seq": 0}, "seq must be a whole number >= 1"),
        ({"register_id": ""}, "register_id is empty"),
        ({"at": datetime(2026, 1, 1, 12, 0)}, "naive time"),  # noqa: DTZ001
        ({"text": "x" * 10_000}, "longer than 9999"),
        ({"trans_id": "x" * 36}, "trans_id must be 1-35"),
    ],
)
def test_invalid_events_are_refused_with_a_clear_message(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _event(**changes)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(code="NOSUCH"), "unknown event code 'NOSUCH'"),
        (lambda d: d.update(seq="7"), "'seq' must be int"),
        (lambda d: d.update(seq=True), "'seq' must be int"),
        (lambda d: d.update(at="yesterday"), "'at' is not an ISO time"),
        (lambda d: d.pop("event_date"), "'event_date' must be str"),
        (lambda d: d.update(payload=[1]), "'payload' must be an object"),
    ],
)
def test_from_json_refuses_damaged_events(mutate: object, message: str) -> None:
    data = _event().to_dict()
    assert callable(mutate)
    mutate(data)
    with pytest.raises(InvalidInput, match=message):
        JournalEvent.from_json(json.dumps(data))


def test_from_json_refuses_text_that_is_not_json() -> None:
    with pytest.raises(InvalidInput, match="not JSON"):
        JournalEvent.from_json("{not json")


def test_payload_readers_name_the_event_and_key_when_a_value_is_missing() -> None:
    event = _event(payload={"sku": "1"})
    assert event.string("sku") == "1"
    with pytest.raises(InvalidInput, match=r"1-7 \(PRICELOOKUP\): payload\.amount must be øre"):
        event.amount()
    with pytest.raises(InvalidInput, match=r"payload\.group must be text"):
        event.string("group")
