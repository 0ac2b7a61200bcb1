"""Employees and PINs through the real service and database: scrypt hashes only, five wrong
PINs lock for five minutes (stored, on the clock), a right PIN resets the count."""

from __future__ import annotations

import hashlib
import os
from datetime import timedelta

import pytest

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import (
    AuthenticationError,
    Conflict,
    EmployeeLocked,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from omnipos_tui.core.repositories import PinRecord
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.services.staff.service import hash_cost, hash_pin, lock_time
from omnipos_tui.storage.database import execute_sql


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The PIN rules live in the service; SQLite is enough (scrypt makes each test slow)."""
    return sqlite_url


@pytest.fixture
def staffed(shop: Services) -> Services:
    shop.staff.add_employee("1", "Kari Nordmann", Role.CASHIER, "1234")
    shop.staff.add_employee("2", "Ola Hansen", Role.MANAGER, "9999")
    return shop


def wrong(services: Services, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationError):
            services.staff.authenticate("1", "0000")


def test_the_right_pin_logs_in(staffed: Services) -> None:
    assert staffed.staff.authenticate("1", "1234").name == "Kari Nordmann"


def test_pins_are_stored_as_salted_scrypt_hashes_only(staffed: Services) -> None:
    with staffed.units(read_only=True) as uow:
        kari, ola = uow.staff.pin("1"), uow.staff.pin("2")
    assert kari is not None and ola is not None
    assert kari.digest == hash_pin("1234", kari.salt)
    assert kari.salt != ola.salt and len(kari.salt) == 16
    raw = execute_sql(staffed._store.db, "SELECT * FROM employee").fetchall()
    assert "1234" not in repr(raw) and "9999" not in repr(raw)


def test_a_wrong_pin_or_unknown_number_says_the_same(staffed: Services) -> None:
    with pytest.raises(AuthenticationError, match="wrong employee number or PIN"):
        staffed.staff.authenticate("1", "4321")
    with pytest.raises(AuthenticationError, match="wrong employee number or PIN"):
        staffed.staff.authenticate("77", "1234")


def test_wrong_pins_are_counted_in_the_database(staffed: Services) -> None:
    wrong(staffed, 3)
    with staffed.units(read_only=True) as uow:
        record = uow.staff.pin("1")
    assert record is not None and record.failed_attempts == 3


def test_the_fifth_wrong_pin_locks_for_five_minutes(staffed: Services) -> None:
    wrong(staffed, 4)
    with pytest.raises(EmployeeLocked) as locked:
        staffed.staff.authenticate("1", "0000")
    assert locked.value.seconds_left == 300
    with pytest.raises(EmployeeLocked, match="locked for 300 more seconds"):
        staffed.staff.authenticate("1", "1234")


def test_the_lock_ends_after_five_minutes_on_the_clock(
    staffed: Services, fixed_clock: FixedClock
) -> None:
    wrong(staffed, 4)
    with pytest.raises(EmployeeLocked):
        staffed.staff.authenticate("1", "0000")
    fixed_clock.advance(timedelta(minutes=4, seconds=59))
    with pytest.raises(EmployeeLocked) as locked:
        staffed.staff.authenticate("1", "1234")
    assert locked.value.seconds_left == 1
    fixed_clock.advance(timedelta(seconds=1))
    assert staffed.staff.authenticate("1", "1234").number == "1"


def test_a_right_pin_resets_the_count(staffed: Services) -> None:
    wrong(staffed, 4)
    staffed.staff.authenticate("1", "1234")
    wrong(staffed, 4)  # four more: still not locked
    assert staffed.staff.authenticate("1", "1234").number == "1"


def test_a_new_pin_lifts_the_lock(staffed: Services) -> None:
    wrong(staffed, 5 - 1)
    with pytest.raises(EmployeeLocked):
        staffed.staff.authenticate("1", "0000")
    staffed.staff.set_pin("1", "5678")
    assert staffed.staff.authenticate("1", "5678").number == "1"
    with pytest.raises(AuthenticationError):
        staffed.staff.authenticate("1", "1234")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "12 34"])
def test_a_pin_must_be_four_to_eight_digits(shop: Services, pin: str) -> None:
    with pytest.raises(InvalidInput, match="4 to 8 digits") as error:
        shop.staff.add_employee("5", "Per", Role.CASHIER, pin)
    assert pin not in str(error.value) or not pin
    assert [e.number for e in shop.staff.list_employees()] == ["99"]


def test_an_employee_number_is_taken_once(staffed: Services) -> None:
    with pytest.raises(Conflict, match="already taken"):
        staffed.staff.add_employee("1", "Kari Kopi", Role.CASHIER, "1111")


def test_a_disabled_employee_cannot_log_in_but_stays_listed(staffed: Services) -> None:
    staffed.staff.disable("1")
    with pytest.raises(AuthenticationError, match="disabled"):
        staffed.staff.authenticate("1", "1234")
    assert [e.number for e in staffed.staff.list_employees()] == ["2", "99"]
    assert [e.number for e in staffed.staff.list_employees(include_inactive=True)] == [
        "1",
        "2",
        "99",
    ]


def test_the_last_admin_cannot_be_disabled(staffed: Services) -> None:
    with pytest.raises(Conflict, match="last active admin"):
        staffed.staff.disable("99")


def test_only_a_manager_or_admin_can_approve(staffed: Services) -> None:
    assert staffed.staff.approve("2", "9999").name == "Ola Hansen"
    with pytest.raises(PermissionDenied, match="manager needed"):
        staffed.staff.approve("1", "1234")


def test_unknown_employees_are_not_found(staffed: Services) -> None:
    with pytest.raises(NotFound):
        staffed.staff.get("42")
    with pytest.raises(NotFound):
        staffed.staff.set_pin("42", "1234")
    with pytest.raises(NotFound):
        staffed.staff.disable("42")


def test_staff_changes_are_recorded_without_the_pin(staffed: Services) -> None:
    staffed.staff.set_pin("1", "8642")
    with staffed.units(read_only=True) as uow:
        latest = uow.changes.recent(limit=1)[0]
    assert (latest.entity, latest.key, latest.field, latest.new) == (
        "employee",
        "1",
        "pin",
        "changed",
    )


# --- issue 10, item 22: what an offline or online guess of a PIN costs ---------------------


def pin_of(services: Services, number: str) -> PinRecord:
    with services.units(read_only=True) as uow:
        record = uow.staff.pin(number)
    assert record is not None
    return record


def test_new_pins_are_hashed_at_the_shipped_cost_and_the_hash_names_it(
    staffed: Services, shipped_pin_cost: int
) -> None:
    assert shipped_pin_cost == 17  # scrypt N=2^17: 128 MiB and ~0.4 s per guess
    staffed.staff.set_pin("1", "2580")
    record = pin_of(staffed, "1")
    assert record.digest.startswith(b"scrypt$17$8$1$")
    assert len(record.digest) == len(b"scrypt$17$8$1$") + 32
    assert hash_cost(record.digest) == 17
    assert staffed.staff.authenticate("1", "2580").number == "1"


def test_an_old_hash_still_verifies_and_is_rehashed_at_the_next_right_pin(
    staffed: Services, shipped_pin_cost: int
) -> None:
    salt = os.urandom(16)
    # As every PIN was stored before the cost was raised: scrypt N=2^14, the bare digest.
    legacy = hashlib.scrypt(b"2580", salt=salt, n=2**14, r=8, p=1, dklen=32)
    with staffed.units() as uow:
        uow.staff.set_pin("1", PinRecord(salt=salt, digest=legacy))
        uow.commit()
    with pytest.raises(AuthenticationError):
        staffed.staff.authenticate("1", "0000")
    assert pin_of(staffed, "1").digest == legacy  # a wrong PIN rehashes nothing
    assert staffed.staff.authenticate("1", "2580").number == "1"
    upgraded = pin_of(staffed, "1")
    assert hash_cost(upgraded.digest) == shipped_pin_cost
    assert upgraded.failed_attempts == 0
    assert staffed.staff.authenticate("1", "2580").number == "1"  # the same PIN
    with pytest.raises(AuthenticationError):
        staffed.staff.authenticate("1", "2581")


def test_each_further_lock_is_twice_as_long_up_to_an_hour(
    staffed: Services, fixed_clock: FixedClock
) -> None:
    for minutes in (5, 10, 20):
        wrong(staffed, 4)
        with pytest.raises(EmployeeLocked) as locked:
            staffed.staff.authenticate("1", "0000")
        assert locked.value.seconds_left == minutes * 60
        fixed_clock.advance(timedelta(minutes=minutes))
    assert staffed.staff.authenticate("1", "1234").number == "1"  # resets the count
    wrong(staffed, 4)
    with pytest.raises(EmployeeLocked) as locked:
        staffed.staff.authenticate("1", "0000")
    assert locked.value.seconds_left == 300
    assert [lock_time(5 * k) / timedelta(minutes=1) for k in range(1, 8)] == [
        5, 10, 20, 40, 60, 60, 60,
    ]  # fmt: skip


def test_guessing_every_four_digit_pin_online_takes_months() -> None:
    waited = sum((lock_time(n) for n in range(1, 10**4 + 1)), timedelta())
    assert waited > timedelta(days=60)


def test_a_shop_may_require_longer_pins_for_new_ones(shop: Services) -> None:
    from omnipos_tui.services.staff.service import StaffService

    strict = StaffService(shop.units, shop.clock, pin_min_digits=6)
    with pytest.raises(InvalidInput, match="at least 6 digits") as error:
        strict.add_employee("5", "Per", Role.CASHIER, "1357")
    assert "1357" not in str(error.value)
    strict.add_employee("5", "Per", Role.CASHIER, "135790")
    assert strict.authenticate("99", "4321").number == "99"  # a shorter, older PIN works
