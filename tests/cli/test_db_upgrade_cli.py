"""`omnipos db migrate` on a shop made by an older OmniPOS: the admin's PIN is checked on
the old schema (its employee table is the same in every version), then the new
migrations run; a cashier or a wrong PIN changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import DEMO_ADMIN, DEMO_CASHIER, demo_shop, isolate, ok, omnipos

from omnipos_tui.storage import migrations
from omnipos_tui.storage.migration_context import MigrationContext
from omnipos_tui.storage.migrations import Migration

NEXT = migrations.latest_version() + 1


def _next_version(ctx: MigrationContext) -> None:
    ctx.run("CREATE TABLE upgrade_probe (id INTEGER PRIMARY KEY)")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("upgrade")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, base / "home")
        demo_shop(base / "data")
    return base / "data"


@pytest.fixture
def older_shop(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo shop one schema version behind this code (the code gains a migration)."""
    isolate(monkeypatch, tmp_path / "home")
    shop = tmp_path / "data"
    shutil.copytree(template, shop)
    upgrade = Migration(NEXT, "an upgrade", _next_version)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, upgrade))
    return shop


def test_the_older_shop_is_refused_until_migrated(older_shop: Path) -> None:
    refused = omnipos(older_shop, "products", "list")
    assert refused.exit_code == 1 and "run `omnipos db migrate`" in refused.stderr


def test_an_admin_upgrades_an_older_shop_and_it_works_again(older_shop: Path) -> None:
    done = ok(older_shop, "db", "migrate", who=DEMO_ADMIN)
    assert f"Applied migration(s) {NEXT}" in done.stdout
    assert "is up to date" in ok(older_shop, "db", "migrate").stdout
    assert ok(older_shop, "products", "list", who=None).stdout


@pytest.mark.parametrize(
    ("who", "says"),
    [
        (DEMO_CASHIER, "Kari is cashier; admin needed"),
        ((DEMO_ADMIN[0], "9876"), "PIN"),
        (None, "give --employee"),
    ],
)
def test_a_cashier_a_wrong_pin_or_nobody_cannot_upgrade(
    older_shop: Path, who: tuple[str, str] | None, says: str
) -> None:
    refused = omnipos(older_shop, "db", "migrate", who=who)
    assert refused.exit_code == 1, refused.stdout
    assert says in refused.stderr
    assert "Traceback" not in refused.stderr
    still = omnipos(older_shop, "products", "list", who=None)
    assert still.exit_code == 1 and "run `omnipos db migrate`" in still.stderr
