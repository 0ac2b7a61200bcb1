"""Fiken's official spec served by Prism (npm ``@stoplight/prism-cli``, pinned in
``tests/prism/package.json``, installed by ``scripts/test`` with ``npm ci``) on 127.0.0.1:
real settlements go through the real adapter over HTTP and are accepted; a request the spec
does not allow comes back 422 and one without a token 401, sorted the outbox's way."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from accounting_support import FIKEN_SPEC, busy_voucher

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.errors import DeliveryRejected
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.integrations.accounting.fiken import FikenAccounting
from omnipos_tui.integrations.accounting.http import TokenRefused, exchange
from omnipos_tui.services.accounting.settlement import SettlementHandler

PRISM = Path(__file__).resolve().parents[1] / "prism" / "node_modules" / ".bin" / "prism"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not PRISM.exists():
        message = f"Prism is not installed ({PRISM}): run scripts/test, or npm ci in tests/prism"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    log = (tmp_path_factory.mktemp("prism") / "prism.log").open("w")
    process = subprocess.Popen(
        [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), str(FIKEN_SPEC)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # bounded: at most about a minute on a busy machine
            if process.poll() is not None:
                pytest.fail(f"Prism exited with {process.returncode}; see {log.name}")
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Prism did not start listening within a minute")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_real_settlements_through_the_real_adapter_are_accepted(prism: str) -> None:
    adapter = FikenAccounting(
        token="personal-api-token", company="butikken", accounts=AccountMap(), base_url=prism
    )
    handler = SettlementHandler(lambda: adapter)
    try:
        for number in (1, 2, 3):
            voucher = busy_voucher(number=number, receipts=5 + number)
            message = OutboxMessage("accounting.settlement", voucher.key, voucher.to_dict())
            assert handler.handle(message)  # the sale's id from Location, or the key
    finally:
        adapter.close()


def test_an_invalid_request_comes_back_422_and_stops_the_row(prism: str) -> None:
    with httpx.Client(timeout=30) as client, pytest.raises(DeliveryRejected) as caught:
        exchange(
            client,
            "Fiken",
            "POST",
            f"{prism}/companies/butikken/sales",
            body={"kind": "receipt", "date": "2026-03-02", "paid": True, "lines": []},
            headers={"Authorization": "Bearer personal-api-token"},
        )
    assert "422" in str(caught.value) and "currency" in str(caught.value)


def test_a_missing_token_comes_back_401_and_the_row_waits(prism: str) -> None:
    voucher = busy_voucher()
    with httpx.Client(timeout=30) as client, pytest.raises(TokenRefused) as caught:
        exchange(client, "Fiken", "GET", f"{prism}/companies/butikken/sales",
                 params={"saleNumber": voucher.key})  # fmt: skip
    assert "401" in str(caught.value)
