"""Employees and PINs through the real service and database: scrypt hashes only, five wrong
PINs lock for five minutes (stored, on the clock), a right PIN resets the count."""

from __future__ import annotations

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
from omnipos_tui.core.staff.employee import Role
from omnipos_tui.services.staff.service import hash_pin
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
