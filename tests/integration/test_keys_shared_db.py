"""Every register's chain checked from any machine: each till has its own key in its own
data directory, the public parts are in the database, and a back office with no keys at
all verifies the RSA registers, finds a tamper, and says which registers (HMAC) it could
not check. A database from before keys were recorded still verifies."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ledger_support import BREAD, COLA, MILK, UNDO_SCHEMA_6, cash_sale, open_shop, pg_connect

from omnipos_tui.bootstrap import Services
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.errors import SigningKeyError
from omnipos_tui.core.ledger.signature import BreakReason, ChainResult
from omnipos_tui.messages import render
from omnipos_tui.storage.append_only import trigger_name
from omnipos_tui.storage.signing_keys import RsaSigner

SALES = 4


def _sell(services: Services, clock: FixedClock, register_id: str, count: int = SALES) -> None:
    for n in range(count):
        cash_sale(services, clock, *(MILK, BREAD, COLA)[: 1 + n % 3], register_id=register_id)


def _by_register(services: Services) -> dict[str, ChainResult]:
    return {r.register_id: r for r in services.journal.verify()}


@pytest.mark.postgres
def test_a_back_office_without_keys_verifies_two_tills_chains_and_finds_a_tamper(
    pg_url: str, tmp_path: Path
) -> None:
    till1, clock1 = open_shop(tmp_path / "till1", url=pg_url, register_id="1")
    till2, clock2 = open_shop(
        tmp_path / "till2", url=pg_url, register_id="2", initialise=False, new_till=True
    )
    _sell(till1, clock1, "1")
    _sell(till2, clock2, "2")
    till1.keys.rotate(employee="9")
    _sell(till1, clock1, "1", 2)
    # Each till signs with its own key, made in its own data directory.
    assert till1.keys.versions() == ["1-1", "1-2"] and till2.keys.versions() == ["2-1"]
    assert [p.name for p in (tmp_path / "till2" / "keys").iterdir()] == ["rsa-2-v1.pem"]
    office, _ = open_shop(tmp_path / "office", url=pg_url, register_id="9", initialise=False)
    recorded = [(k.register_id, k.key_version, k.created_by) for k in office.keys.recorded()]
    assert recorded == [("1", "1-1", "init"), ("1", "1-2", "9"), ("2", "2-1", "1")]
    for till in (till1, till2):
        local = till.keys.public_pem()
        register = till.settings.shop.register_id
        assert office.keys.public_pem(register_id=register) == local
    results = _by_register(office)
    assert {r: (v.ok, v.checked) for r, v in results.items()} == {
        "1": (True, SALES + 2),
        "2": (True, SALES),
    }
    assert not (tmp_path / "office" / "keys").exists()

    raw = pg_connect(pg_url)
    try:
        cursor = raw.cursor()
        cursor.execute(f'DROP TRIGGER "{trigger_name("cash_transaction", "update")}" '
                       "ON cash_transaction")  # fmt: skip
        cursor.execute(
            "UPDATE cash_transaction SET total = total - 100, total_ex_vat = total_ex_vat - 80 "
            "WHERE trans_id = '2-3'"
        )
        assert cursor.rowcount == 1
    finally:
        raw.close()
    results = _by_register(office)
    assert results["1"].ok
    broken = results["2"].broken
    assert broken is not None and not results["2"].unchecked
    assert (broken.trans_id, broken.reason) == ("2-3", BreakReason.BAD_SIGNATURE)
    assert results["2"].checked == 2
    for services in (till1, till2, office):
        services.close()


@pytest.mark.postgres
def test_an_hmac_register_is_checked_where_its_secret_is_and_reported_not_checked_elsewhere(
    pg_url: str, tmp_path: Path
) -> None:
    till1, clock1 = open_shop(tmp_path / "till1", url=pg_url, register_id="1")
    till3, clock3 = open_shop(
        tmp_path / "till3",
        url=pg_url,
        register_id="3",
        algorithm="hmac-sha1",
        initialise=False,
        new_till=True,
    )
    _sell(till1, clock1, "1", 2)
    _sell(till3, clock3, "3", 3)
    [hmac_key] = till1.keys.recorded("3")
    assert (hmac_key.algorithm, hmac_key.public_pem) == ("HMAC-SHA1-128", "")
    assert till3.keys.hmac_secret() not in hmac_key.fingerprint
    with pytest.raises(SigningKeyError, match="HMAC key and has no public key"):
        till1.keys.public_pem(register_id="3")
    # The till with the secret checks its own chain; the other till cannot, and says so.
    assert _by_register(till3)["3"].ok and _by_register(till3)["3"].checked == 3
    results = _by_register(till1)
    assert results["1"].ok
    elsewhere = results["3"]
    assert elsewhere.unchecked and not elsewhere.ok and elsewhere.checked == 0
    assert elsewhere.broken is not None
    assert elsewhere.broken.reason is BreakReason.KEY_UNAVAILABLE
    assert "HMAC" in elsewhere.broken.detail and "RF-1348" in elsewhere.broken.detail
    for services in (till1, till3):
        services.close()


def test_a_till_whose_keys_differ_from_the_recorded_ones_refuses_to_sign(tmp_path: Path) -> None:
    till, clock = open_shop(tmp_path)
    _sell(till, clock, "1", 1)
    till.close()
    for key in (tmp_path / "keys").iterdir():
        key.unlink()
    again, clock = open_shop(tmp_path, clock=clock, initialise=False)
    with pytest.raises(SigningKeyError, match="not that till's data directory") as refused:
        _sell(again, clock, "1", 1)
    assert "ikke den kassens datamappe" in render(refused.value, "nb")
    assert _by_register(again)["1"].checked == 1  # nothing half-written
    again.close()


def _legacy_key(data_dir: Path) -> RsaSigner:
    """Key version "1" as an OmniPOS from before per-register versions wrote it."""
    signer = RsaSigner.generate("1")
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True)
    (keys / "rsa-v1.pem").write_bytes(signer.private_pem())
    (keys / "rsa-v1.pem").chmod(0o600)
    return signer


def _back_to_schema_2(db: Path) -> None:
    """Make the database what an OmniPOS before schema 3 left: no ``signing_key`` table
    (nor the later name-search index of schema 4, nor the hash chain of schema 6). The later
    schemas that do not touch the ledger's keys (stock, tips) stay, as migrations run by the
    versions missing."""
    with sqlite3.connect(db) as raw:
        for statement in UNDO_SCHEMA_6:
            raw.execute(statement)
        for trigger in ("insert", "delete", "update"):
            raw.execute(f"DROP TRIGGER product_trigram_{trigger}")
        raw.execute("DROP TABLE product_trigram")
        raw.execute("DROP TABLE signing_key")
        raw.execute("DELETE FROM schema_version WHERE version IN (3, 4, 6)")


def test_a_database_from_before_keys_were_recorded_still_verifies_after_migration(
    tmp_path: Path,
) -> None:
    legacy = _legacy_key(tmp_path / "till")
    till, clock = open_shop(tmp_path / "till")
    _sell(till, clock, "1", 3)
    till.close()
    _back_to_schema_2(tmp_path / "till" / "omnipos.sqlite3")
    url = f"sqlite:///{tmp_path / 'till' / 'omnipos.sqlite3'}"
    upgraded, clock = open_shop(tmp_path / "till", clock=clock, initialise=False)
    assert upgraded.database.migrate() == [3, 4, 6]
    assert upgraded.database.check().ok  # the chain computed for the rows already there
    assert upgraded.keys.recorded() == []
    # The till checks its own chain from its key file; its public key still prints.
    assert _by_register(upgraded)["1"].ok and _by_register(upgraded)["1"].checked == 3
    assert upgraded.keys.public_pem() == legacy.public_pem()
    # A machine without the key cannot check it yet, and says so instead of passing it.
    office, _ = open_shop(tmp_path / "office", url=url, register_id="9", initialise=False)
    before = _by_register(office)["1"]
    assert before.unchecked and before.broken is not None
    assert "not recorded its keys" in before.broken.detail
    # The till's next sale records key version "1"; now anybody verifies the whole chain.
    _sell(upgraded, clock, "1", 1)
    assert [(k.key_version, k.public_pem) for k in office.keys.recorded("1")] == [
        ("1", legacy.public_pem())
    ]
    after = _by_register(office)["1"]
    assert after.ok and after.checked == 4
    upgraded.keys.rotate()
    _sell(upgraded, clock, "1", 1)
    assert [k.key_version for k in office.keys.recorded("1")] == ["1", "1-2"]
    assert _by_register(office)["1"].checked == 5
    for services in (upgraded, office):
        services.close()


def test_a_till_checks_its_chain_with_its_own_key_files_not_the_databases_copy(
    tmp_path: Path,
) -> None:
    till, clock = open_shop(tmp_path / "till")
    _sell(till, clock, "1", 2)
    db = tmp_path / "till" / "omnipos.sqlite3"
    office, _ = open_shop(tmp_path / "office", url=f"sqlite:///{db}", register_id="9",
                          initialise=False)  # fmt: skip
    assert _by_register(office)["1"].ok
    # Somebody with the database file swaps the recorded public key for another one.
    with sqlite3.connect(db) as raw:
        raw.execute(f'DROP TRIGGER "{trigger_name("signing_key", "update")}"')
        other = RsaSigner.generate("1-1").public_pem()
        raw.execute("UPDATE signing_key SET public_pem = ? WHERE key_version = '1-1'", (other,))
    assert _by_register(till)["1"].ok
    elsewhere = _by_register(office)["1"]
    assert elsewhere.broken is not None and elsewhere.broken.trans_id == "1-1"
    assert elsewhere.broken.reason is BreakReason.BAD_SIGNATURE
    for services in (till, office):
        services.close()
