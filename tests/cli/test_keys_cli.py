"""``omnipos keys public|rotate|list``: the PEM is the key that signs, rotation keeps the
chain verifying, HMAC and missing keys are refused with a message."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cli_support import demo_shop, isolate, ok, ok_json, omnipos
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from omnipos_tui.bootstrap import build
from omnipos_tui.core.clock import FixedClock
from omnipos_tui.core.ledger.transaction import TenderKind
from omnipos_tui.services.sales import completion, opening, payments, ringing
from omnipos_tui.settings import Override, load_settings

MILK = "7030536000017"


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate(monkeypatch, tmp_path)
    data_dir = tmp_path / "data"
    demo_shop(data_dir)
    return data_dir


def _public_pem_of_key_file(path: Path) -> str:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _sell(data_dir: Path, at: datetime) -> str:
    """One cash sale through the real services at a fixed time; its key version."""
    settings = load_settings(None, overrides=(Override("paths.data_dir", str(data_dir), "t"),))
    app = build(settings, clock=FixedClock(at))
    try:
        sale = opening.resume_or_open(app.sales, "1", "1")
        ringing.add_item(app.sales, sale.sale_id, MILK, employee="1")
        payments.pay(app.sales, sale.sale_id, TenderKind.CASH, None, employee="1")
        return completion.complete(app.sales, sale.sale_id, employee="1").transaction.key_version
    finally:
        app.close()


def test_the_public_key_is_the_pem_of_the_signing_key_and_openssl_reads_it(
    shop: Path, tmp_path: Path
) -> None:
    pem = ok(shop, "keys", "public").stdout
    assert pem == _public_pem_of_key_file(shop / "keys" / "rsa-1-v1.pem")
    (tmp_path / "pub.pem").write_text(pem)
    run = subprocess.run(
        ["openssl", "pkey", "-pubin", "-in", str(tmp_path / "pub.pem"), "-noout", "-text"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "1024 bit" in run.stdout


def test_rotation_makes_a_new_current_key_and_the_chain_verifies_across_it(shop: Path) -> None:
    assert _sell(shop, datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) == "1-1"
    old = ok(shop, "keys", "public").stdout
    rotated = ok(shop, "keys", "rotate").stdout
    assert "Signing key version 1-2 is now current" in rotated
    assert ok(shop, "keys", "public").stdout != old
    assert ok(shop, "keys", "public", "--version", "1-1").stdout == old
    assert ok(shop, "keys", "public", "--register", "1", "--version", "1-1").stdout == old
    listing = ok(shop, "keys", "list").stdout.splitlines()
    assert [line.split(" since ")[0] for line in listing] == [
        "register 1 version 1-1 RSA-SHA1-1024",
        "register 1 version 1-2 RSA-SHA1-1024",
    ]
    assert listing[1].endswith("by 9  (current)") and not listing[0].endswith("(current)")
    assert _sell(shop, datetime(2026, 11, 2, 9, 5, tzinfo=UTC)) == "1-2"
    assert ok(shop, "journal", "verify").stdout.startswith("Register 1: ok, 2 transaction(s)")
    events = ok_json(shop, "journal", "show", "--code", "KEYROTATE")
    assert [e["payload"]["key_version"] for e in events] == ["1-2"]
    assert [e["employee"] for e in events] == ["9"]  # the admin at the keyboard


def test_an_unknown_key_version_is_refused(shop: Path) -> None:
    result = omnipos(shop, "keys", "public", "--version", "9")
    assert result.exit_code == 1
    assert "register 1 has no key version '9' in the database" in result.stderr
    other = omnipos(shop, "keys", "public", "--register", "7")
    assert other.exit_code == 1
    assert "no register '7' (known: 1)" in other.stderr


def test_an_hmac_installation_has_no_public_key_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("OMNIPOS_SIGNING__ALGORITHM", "hmac-sha1")
    data_dir = tmp_path / "data"
    demo_shop(data_dir)
    result = omnipos(data_dir, "keys", "public")
    assert result.exit_code == 1
    assert "is an HMAC key and has no public key" in result.stderr
    assert "BEGIN" not in result.output


def test_before_init_there_is_no_key_and_the_message_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    result = omnipos(tmp_path / "empty", "keys", "public")
    assert result.exit_code == 1
    assert "omnipos init" in result.stderr
    assert "Traceback" not in result.output


def test_verify_away_from_an_hmac_till_says_not_checked_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate(monkeypatch, tmp_path)
    monkeypatch.setenv("OMNIPOS_SIGNING__ALGORITHM", "hmac-sha1")
    till = tmp_path / "till"
    demo_shop(till)
    assert _sell(till, datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) == "1-1"
    assert ok(till, "journal", "verify").stdout.startswith("Register 1: ok, 1 transaction(s)")
    url = f"sqlite:///{till / 'omnipos.sqlite3'}"
    away = omnipos(tmp_path / "office", "--db-url", url, "journal", "verify")
    assert away.exit_code == 1
    assert away.stdout.startswith("Register 1: NOT CHECKED from transaction 1-1 (nr 1) on")
    assert "secret declared in RF-1348" in away.stdout
    assert "register(s) 1 not checked" in away.stderr and "BROKEN" not in away.output
    report = json.loads(
        omnipos(tmp_path / "office", "--db-url", url, "journal", "verify", "--json").stdout
    )
    assert [(r["ok"], r["unchecked"], r["reason"]) for r in report] == [
        (False, True, "key_unavailable")
    ]
