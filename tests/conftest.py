"""Shared fixtures: a fixed clock, real databases (an SQLite file in ``tmp_path``, a fresh
PostgreSQL schema per test), a migrated store and a small initialised shop.

Tests marked ``postgres`` need the server on 127.0.0.1:5432 (trust auth, database ``test``).
When it does not answer they are skipped with the reason, unless ``CI`` is set: then a
missing server is a failure, so CI can never go green without running them. Tests marked
``tool("tmux")`` (or openssl, ...) are treated the same way when the command is missing.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from omnipos_tui.bootstrap import Services, build
from omnipos_tui.core.catalogue.products import ArticleGroup
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.shop.company import Company, Register
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.services.staff.service import PIN_HASH_COST as SHIPPED_PIN_COST
from omnipos_tui.settings import DatabaseSettings, PathSettings, Settings, SigningSettings
from omnipos_tui.storage.database import execute_sql, open_database
from omnipos_tui.storage.store import Store

# Property tests run without hypothesis's 200 ms deadline per example: on a loaded machine
# (or the first example, importing and migrating) the time says nothing of the property.
hypothesis_settings.register_profile("omnipos", deadline=None)
hypothesis_settings.load_profile("omnipos")

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_BASE_URL = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"

ADMIN_NUMBER, ADMIN_PIN = "99", "4321"
TEST_COMPANY = Company("Testbutikken AS", "923609016", "Storgata 1", "0155", "Oslo")
TEST_GROUPS = (
    ArticleGroup("10", "Mat", "04006"),
    ArticleGroup("20", "Drikke", "04011"),
    ArticleGroup("60", "Husholdning", "04003"),
)


@functools.cache
def postgres_answers() -> bool:
    """Whether the test PostgreSQL server accepts connections (asked once per run)."""
    try:
        socket.create_connection((PG_HOST, PG_PORT), timeout=1).close()
    except OSError:
        return False
    return True


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tool(name): needs that command (skipped without it, a failure under CI)"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or under CI fail) ``postgres`` tests when the server does not answer, and
    ``tool("name")`` tests when that command is not installed."""
    for marker in item.iter_markers("tool"):
        [tool] = marker.args
        if shutil.which(tool) is None:
            missing = f"{tool} is not installed"
            if os.environ.get("CI"):
                pytest.fail(f"{missing}, and CI is set: the tests that need it must run")
            pytest.skip(f"{missing} (install it to run this test; under CI=1 this is a failure)")
    if item.get_closest_marker("postgres") is None or postgres_answers():
        return
    where = f"PostgreSQL on {PG_HOST}:{PG_PORT} does not answer"
    if os.environ.get("CI"):
        pytest.fail(f"{where}, and CI is set: the postgres tests must run in CI")
    pytest.skip(f"{where} (start it to run this test; under CI=true this is a failure)")


@pytest.fixture(scope="session", autouse=True)
def _cheaper_pin_hashes() -> Iterator[None]:
    """New PIN hashes at scrypt N=2^14 (16 MiB, ~50 ms) in tests instead of the shipped
    2^17 (128 MiB, ~0.4 s), as a test run creates and checks thousands of PINs; every code
    path is the same, only the cost number differs. The tests of the cost itself
    (tests/integration/test_staff_service.py, tests/cli/test_file_modes.py) set the shipped
    value back with ``shipped_pin_cost``; processes a test starts use it anyway."""
    from omnipos_tui.services.staff import service

    service.PIN_HASH_COST = 14
    try:
        yield
    finally:
        service.PIN_HASH_COST = SHIPPED_PIN_COST


@pytest.fixture
def shipped_pin_cost() -> Iterator[int]:
    """The shipped PIN hash cost in force for one test (see ``_cheaper_pin_hashes``)."""
    from omnipos_tui.services.staff import service

    lowered = service.PIN_HASH_COST
    service.PIN_HASH_COST = SHIPPED_PIN_COST
    try:
        yield SHIPPED_PIN_COST
    finally:
        service.PIN_HASH_COST = lowered


@pytest.fixture
def fixed_clock() -> FixedClock:
    """A clock standing at 2026-11-27 13:30 UTC until a test moves it."""
    return FixedClock()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """The URL of a (not yet created) SQLite file in this test's directory."""
    return f"sqlite:///{tmp_path / 'omnipos.sqlite3'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for this test (dropped afterwards), as a URL whose
    connections use it as their search path. Use it from tests marked ``postgres``."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = open_database(PG_BASE_URL)
    admin.connect()
    try:
        execute_sql(admin, f'CREATE SCHEMA "{schema}"')
        yield f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"
        execute_sql(admin, f'DROP SCHEMA "{schema}" CASCADE')
    finally:
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs twice: on an SQLite file and on a PostgreSQL schema."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    url = request.getfixturevalue(name)
    assert isinstance(url, str)
    return url


@pytest.fixture
def store(database_url: str, fixed_clock: FixedClock) -> Iterator[Store]:
    """A migrated store on each engine."""
    opened = Store(database_url, fixed_clock)
    opened.migrate()
    yield opened
    opened.close()


def settings_for(data_dir: Path, url: str = "") -> Settings:
    """Settings for a test: defaults, this data directory and database, HMAC signing (fast)."""
    return Settings(
        database=DatabaseSettings(url=url),
        paths=PathSettings(data_dir=str(data_dir)),
        signing=SigningSettings(algorithm="hmac-sha1"),
    )


@pytest.fixture
def shop(database_url: str, tmp_path: Path, fixed_clock: FixedClock) -> Iterator[Services]:
    """An initialised shop on each engine: company, register 1, three article groups and
    an admin (number 99, PIN 4321); no products, customers or other staff."""
    url = "" if database_url.startswith("sqlite") else database_url
    services = build(settings_for(tmp_path, url), clock=fixed_clock)
    services.setup.initialise(
        company=TEST_COMPANY,
        register=Register("1", "Kasse 1"),
        admin=Employee(ADMIN_NUMBER, "Admin Testesen", Role.ADMIN),
        admin_pin=ADMIN_PIN,
        groups=TEST_GROUPS,
    )
    yield services
    services.close()
