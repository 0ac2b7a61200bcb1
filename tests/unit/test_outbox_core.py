"""The pure parts of events and the outbox: the backoff rule, who owns a row, the event bus
and the delivery errors."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected, PosError
from omnipos_tui.core.events import DomainEvent, EventBus
from omnipos_tui.core.outbox import (
    BACKOFF_BASE_S,
    BACKOFF_CAP_S,
    OutboxMessage,
    backoff_seconds,
    is_device_kind,
    owner_of,
)
from omnipos_tui.messages import render


@given(
    attempt=st.integers(min_value=1, max_value=200),
    jitter=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_a_backoff_is_between_half_and_all_of_the_doubled_wait_and_never_over_the_cap(
    attempt: int, jitter: float
) -> None:
    full = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0 ** min(attempt - 1, 64))
    wait = backoff_seconds(attempt, jitter=lambda: jitter)
    assert full / 2 <= wait <= full
    assert wait <= BACKOFF_CAP_S


@given(
    attempt=st.integers(min_value=1, max_value=40),
    retry_after=st.floats(min_value=0, max_value=100_000, allow_nan=False),
    jitter=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_a_backoff_never_comes_before_the_far_ends_retry_after(
    attempt: int, retry_after: float, jitter: float
) -> None:
    wait = backoff_seconds(attempt, retry_after=retry_after, jitter=lambda: jitter)
    assert wait >= retry_after


def test_the_wait_doubles_from_one_attempt_to_the_next_without_jitter() -> None:
    waits = [backoff_seconds(n, jitter=lambda: 0.999999) for n in (1, 2, 3, 4)]
    assert [round(w) for w in waits] == [2, 4, 8, 16]


def test_a_device_row_belongs_to_the_register_in_its_payload_and_others_to_any_worker() -> None:
    assert owner_of(OutboxMessage("device.receipt", "1-7", {"register_id": "2"})) == "2"
    assert owner_of(OutboxMessage("accounting.settlement", "Z-1-4", {"register_id": "2"})) == ""
    assert is_device_kind("device.drawer") and not is_device_kind("webshop.stock")
    with pytest.raises(ValueError, match="names no register_id"):
        owner_of(OutboxMessage("device.receipt", "1-7", {}))


@dataclass(frozen=True)
class Counted(DomainEvent):
    n: int


@dataclass(frozen=True)
class CountedTwice(Counted):
    pass


@dataclass(frozen=True)
class Other(DomainEvent):
    pass


class _Probe:
    def __init__(self) -> None:
        self.seen: list[tuple[str, DomainEvent]] = []

    def named(self, name: str) -> Any:
        def handler(event: DomainEvent, uow: object) -> None:
            self.seen.append((name, event))

        return handler


def test_handlers_get_their_type_and_its_subclasses_in_subscription_order() -> None:
    bus, probe = EventBus(), _Probe()
    bus.subscribe(Counted, probe.named("first"))
    bus.subscribe(DomainEvent, probe.named("everything"))
    bus.subscribe(CountedTwice, probe.named("subclass"))
    bus.subscribe(Counted, probe.named("second"))
    bus.subscribe(Other, probe.named("other only"))
    event = CountedTwice(1)
    bus.publish(event, object())  # type: ignore[arg-type]
    assert [name for name, _ in probe.seen] == ["subclass", "first", "second", "everything"]
    assert all(seen is event for _, seen in probe.seen)


def test_an_unsubscribed_handler_is_not_called_again() -> None:
    bus, probe = EventBus(), _Probe()
    assert bus.empty
    stop = bus.subscribe(Counted, probe.named("once"))
    assert not bus.empty
    bus.publish(Counted(1), object())
    stop()
    stop()  # twice does no harm
    bus.publish(Counted(2), object())
    assert [event for _, event in probe.seen] == [Counted(1)]
    assert bus.empty


def test_delivery_errors_say_whether_to_try_again_and_survive_a_copy() -> None:
    deferred = DeliveryDeferred("429 Too Many Requests", retry_after=30.0)
    rejected = DeliveryRejected("saleNumber: must be unique")
    assert isinstance(deferred, PosError) and isinstance(rejected, PosError)
    assert (deferred.detail, deferred.retry_after) == ("429 Too Many Requests", 30.0)
    assert str(deferred) == "delivery deferred: 429 Too Many Requests"
    copy = pickle.loads(pickle.dumps(deferred))
    assert (copy.detail, copy.retry_after) == ("429 Too Many Requests", 30.0)
    assert pickle.loads(pickle.dumps(rejected)).detail == "saleNumber: must be unique"
    assert render(rejected, "nb") == "Levering avvist: saleNumber: must be unique"
