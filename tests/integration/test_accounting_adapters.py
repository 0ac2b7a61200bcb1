"""Fiken and Tripletex adapters: every request they build is validated with openapi-core
against the vendor's official OpenAPI spec (``tests/data/accounting``), answered by a peer
that keeps what it booked; and the far end's answers are sorted the outbox's way (a
duplicate found is not sent again; 401 makes a new Tripletex session; 422 stops the row with
the far end's message; 429 waits for ``Retry-After``; a timeout waits)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

import httpx
import pytest
from accounting_support import FIKEN_SPEC, TRIPLETEX_SPEC, OpenAPIHttpxRequest, busy_voucher, spec

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.voucher import PostingKind, Voucher
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected
from omnipos_tui.core.outbox import OutboxMessage
from omnipos_tui.integrations.accounting.fiken import FikenAccounting, sale_request
from omnipos_tui.integrations.accounting.tripletex import TripletexAccounting
from omnipos_tui.services.accounting.settlement import SettlementHandler

FIKEN = "https://api.fiken.no/api/v2"
TRIPLETEX = "https://tripletex.no/v2"
Reply = Callable[[httpx.Request], httpx.Response | None]


class Peer:
    """A vendor's side: validates each request against the spec, then answers it."""

    def __init__(self, spec_path: Any, answer: Reply) -> None:
        self.spec = spec(spec_path)
        self.answer = answer
        self.seen: list[httpx.Request] = []
        self.booked: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.spec.validate_request(OpenAPIHttpxRequest(request))
        self.seen.append(request)
        reply = self.answer(request)
        assert reply is not None, f"no answer for {request.method} {request.url}"
        return reply

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def _fiken_answer(peer_booked: list[dict[str, Any]]) -> Reply:
    def answer(request: httpx.Request) -> httpx.Response | None:
        path = request.url.path
        if request.method == "GET" and path.endswith("/sales"):
            wanted = request.url.params.get("saleNumber")
            found = [s for s in peer_booked if s.get("saleNumber") == wanted]
            return httpx.Response(
                200, json=[{"saleId": 7000 + n, **s} for n, s in enumerate(found)]
            )
        if request.method == "GET" and path.endswith("/journalEntries"):
            return httpx.Response(200, json=[e for e in peer_booked if "journalEntries" in e
                                             for e in e["journalEntries"]])  # fmt: skip
        if request.method == "POST":
            body = json.loads(request.content)
            peer_booked.append(body)
            location = f"{FIKEN}/companies/butikken/sales/{7000 + len(peer_booked)}"
            return httpx.Response(201, headers={"Location": location})
        if request.method == "GET" and path.endswith("/companies/butikken"):
            return httpx.Response(200, json={"name": "Butikken AS", "vatType": "bi-monthly"})
        if request.method == "GET" and path.endswith("/accounts"):
            codes = ["1500:10001", "1900", "1920:10001", "1940", "2700", "2701", "3000", "3030"]
            return httpx.Response(200, json=[{"code": c, "name": c} for c in codes])
        return None

    return answer


def fiken(answer: Reply | None = None) -> tuple[FikenAccounting, Peer]:
    booked: list[dict[str, Any]] = []
    peer = Peer(FIKEN_SPEC, answer or _fiken_answer(booked))
    peer.booked = booked
    adapter = FikenAccounting(token="t0k3n", company="butikken", accounts=AccountMap(),
                              base_url=FIKEN, client=peer.client())  # fmt: skip
    return adapter, peer


def test_fiken_books_a_settlement_with_requests_valid_against_fikens_spec() -> None:
    voucher = busy_voucher()
    adapter, peer = fiken()
    handler = SettlementHandler(lambda: adapter)
    far_id = handler.handle(OutboxMessage("accounting.settlement", voucher.key, voucher.to_dict()))
    assert far_id == "7002"
    calls = [(r.method, r.url.path.rsplit("/", 1)[-1]) for r in peer.seen]
    assert calls == [("GET", "sales"), ("GET", "journalEntries"),
                     ("POST", "generalJournalEntries"), ("POST", "sales")]  # fmt: skip
    journal, sale = peer.booked
    assert sale["saleNumber"] == "Z-1-1" and sale["kind"] == "cash_sale"
    assert all(isinstance(x["netPrice"], int) and isinstance(x["vat"], int) for x in sale["lines"])
    assert {x["vatType"] for x in sale["lines"]} == {"HIGH", "MEDIUM", "LOW"}
    # The Z's own VAT per rate, to the øre.
    for code, vat_type in (("3", "HIGH"), ("31", "MEDIUM"), ("33", "LOW")):
        vat = -sum(
            p.amount for p in voucher.lines if p.kind is PostingKind.VAT and p.vat_code == code
        )
        assert sum(x["vat"] for x in sale["lines"] if x["vatType"] == vat_type) == vat
    # The sale paid to cash, less what the journal moves away, is the voucher's cash.
    moves = journal["journalEntries"][0]["lines"]
    cash = (
        sale["totalPaid"]
        + sum(m["amount"] for m in moves if m["debitAccount"] == "1900")
        - sum(m["amount"] for m in moves if m["creditAccount"] == "1900")
    )
    assert cash == sum(p.amount for p in voucher.lines if p.account == "1900")
    # Asked again (a retry), it is found by saleNumber and not sent again.
    assert (
        handler.handle(OutboxMessage("accounting.settlement", voucher.key, voucher.to_dict()))
        == "7000"
    )
    assert len(peer.booked) == 2


def test_fiken_after_a_crash_between_journal_and_sale_posts_only_the_sale() -> None:
    voucher = busy_voucher()
    adapter, peer = fiken()
    from omnipos_tui.integrations.accounting.fiken import journal_request

    peer.booked.append(journal_request(voucher, "1900") or {})
    adapter.post(voucher)
    assert [("journalEntries" in b) for b in peer.booked] == [True, False]


def test_fiken_refusals_are_sorted_by_cause() -> None:
    voucher = busy_voucher()

    def refused(status: int, body: object, headers: dict[str, str] | None = None) -> Reply:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.method == "GET":
                return httpx.Response(200, json=[])
            return httpx.Response(status, json=body, headers=headers)

        return answer

    adapter, _ = fiken(refused(400, {"message": "Konto 3050 finnes ikke"}))
    with pytest.raises(DeliveryRejected) as rejected:
        adapter.post(voucher)
    assert "Konto 3050 finnes ikke" in str(rejected.value) and "400" in str(rejected.value)
    adapter, _ = fiken(refused(429, {"message": "slow down"}, {"Retry-After": "7"}))
    with pytest.raises(DeliveryDeferred) as waited:
        adapter.post(voucher)
    assert waited.value.retry_after == 7.0
    adapter, _ = fiken(refused(503, {}))
    with pytest.raises(DeliveryDeferred):
        adapter.post(voucher)
    adapter, _ = fiken(refused(401, {"error": "invalid_token"}))
    with pytest.raises(DeliveryDeferred) as token:
        adapter.post(voucher)
    assert "401" in str(token.value)

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    adapter = FikenAccounting(token="t", company="butikken", accounts=AccountMap(), base_url=FIKEN,
                              client=httpx.Client(transport=httpx.MockTransport(slow)))  # fmt: skip
    with pytest.raises(DeliveryDeferred) as timeout:
        adapter.find(voucher.key)
    assert "in time" in str(timeout.value)


def test_fiken_test_names_the_accounts_fiken_does_not_have() -> None:
    adapter, _ = fiken()
    problems = adapter.check(AccountMap())
    missing = {p.key for p in problems if p.what == "account"}
    assert "sales_12" in missing and "vipps" in missing and "cash" not in missing


# --- Tripletex ---------------------------------------------------------------------------


class TripletexPeer:
    """Tripletex's side: sessions, accounts and VAT types by number, vouchers."""

    ACCOUNTS: ClassVar[set[str]] = {
        "1500", "1900", "1920", "1940", "1941", "2700", "2701", "2702", "2910", "2965",
        "3000", "3030", "3050", "3100", "3200", "7740", "7790",
    }  # fmt: skip

    def __init__(self) -> None:
        self.sessions = 0
        self.expire_next = False
        self.vouchers: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response | None:
        path = request.url.path
        if path.endswith("/token/session/:create"):
            self.sessions += 1
            return httpx.Response(200, json={"value": {"token": f"session-{self.sessions}"}})
        auth = request.headers.get("Authorization", "")
        if self.expire_next:
            self.expire_next = False
            return httpx.Response(401, json={"status": 401, "message": "Token expired"})
        assert auth.startswith("Basic "), auth
        number = request.url.params.get("number", "")
        if path.endswith("/ledger/account"):
            found = (
                [{"id": 100 + int(number), "number": int(number)}]
                if number in self.ACCOUNTS
                else []
            )
            return httpx.Response(200, json={"values": found})
        if path.endswith("/ledger/vatType"):
            return httpx.Response(
                200, json={"values": [{"id": 900 + int(number), "number": number}]}
            )
        if path.endswith(">externalVoucherNumber"):
            key = request.url.params.get("externalVoucherNumber")
            found = [
                {"id": 5000 + n, "externalVoucherNumber": v["externalVoucherNumber"]}
                for n, v in enumerate(self.vouchers)
                if v["externalVoucherNumber"] == key
            ]
            return httpx.Response(200, json={"values": found})
        if path.endswith("/ledger/voucher") and request.method == "POST":
            self.vouchers.append(json.loads(request.content))
            return httpx.Response(201, json={"value": {"id": 5000 + len(self.vouchers) - 1}})
        return None


def tripletex(far: TripletexPeer) -> tuple[TripletexAccounting, Peer]:
    peer = Peer(TRIPLETEX_SPEC, far)
    adapter = TripletexAccounting(consumer_token="c", employee_token="e", base_url=TRIPLETEX,
                                  client=peer.client(), today=date(2026, 3, 3))  # fmt: skip
    return adapter, peer


def test_tripletex_books_a_balanced_voucher_with_requests_valid_against_its_spec() -> None:
    voucher = busy_voucher()
    far = TripletexPeer()
    adapter, peer = tripletex(far)
    handler = SettlementHandler(lambda: adapter)
    message = OutboxMessage("accounting.settlement", voucher.key, voucher.to_dict())
    assert handler.handle(message) == "5000"
    [booked] = far.vouchers
    assert booked["externalVoucherNumber"] == "Z-1-1"
    postings = booked["postings"]
    assert abs(sum(p["amountGross"] for p in postings)) < 0.005
    assert [p["row"] for p in postings] == list(range(1, len(postings) + 1))
    assert {p["vatType"]["id"] for p in postings if "vatType" in p} == {903, 931, 933}
    # Ids come from the look-ups, never hard-coded: 3000 is id 3100 at this peer.
    assert {"id": 3100} in [p["account"] for p in postings]
    lookups = [r for r in peer.seen if r.url.path.endswith("/ledger/account")]
    assert len(lookups) == len({p.account for p in voucher.lines})  # cached: once per number
    # A retry finds it by externalVoucherNumber.
    assert handler.handle(message) == "5000" and len(far.vouchers) == 1


def test_tripletex_makes_a_new_session_when_the_token_expired() -> None:
    far = TripletexPeer()
    adapter, _ = tripletex(far)
    assert adapter.find("Z-1-1") is None
    far.expire_next = True
    assert adapter.find("Z-1-1") is None
    assert far.sessions == 2


def test_tripletex_names_an_account_it_does_not_have() -> None:
    far = TripletexPeer()
    far.ACCOUNTS = TripletexPeer.ACCOUNTS - {"1941"}  # type: ignore[misc]
    adapter, _ = tripletex(far)
    with pytest.raises(DeliveryRejected) as caught:
        adapter.post(busy_voucher())
    assert "1941" in str(caught.value)
    problems = adapter.check(AccountMap())
    assert [(p.what, p.key) for p in problems] == [("account", "vipps")]


def test_every_fiken_sale_of_random_days_is_valid_and_keeps_the_zs_vat() -> None:
    for number in range(1, 30):
        voucher: Voucher = busy_voucher(number=number, receipts=number)
        body = sale_request(voucher, "1900")
        request = httpx.Request("POST", f"{FIKEN}/companies/butikken/sales", json=body,
                                headers={"Authorization": "Bearer t"})  # fmt: skip
        spec(FIKEN_SPEC).validate_request(OpenAPIHttpxRequest(request))
        vat = -sum(p.amount for p in voucher.lines if p.kind is PostingKind.VAT)
        assert sum(x["vat"] for x in body["lines"]) == vat
