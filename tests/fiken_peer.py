"""A stateful Fiken on 127.0.0.1, for the tests and ``./scripts/bench accounting`` that run
``omnipos worker`` as a process against it.

Prism serves Fiken's official spec but keeps nothing (each answer is made up from the
examples), so it cannot say whether a sale is booked already. This peer keeps what it is
sent: every request is first validated with openapi-core against Fiken's official OpenAPI
spec (``tests/data/accounting/fiken-openapi.yaml``; a request the spec refuses is answered
400 and kept in :attr:`FikenPeer.invalid`), then answered as Fiken would for the calls the
adapter makes: sales (``POST``, and ``GET ?saleNumber=``), general journal entries
(``POST``, and ``GET /journalEntries?date=`` in pages), the company and its accounts.

Every sale and journal entry posted is kept, duplicates included, so a test can count
each settlement's bookings. Faults are scripted per sale number (:meth:`FikenPeer.script`):
``"429"`` (with ``Retry-After: 1``), ``"503"``, ``"slow"`` (the sale is booked, but the
answer comes after ``slow_s``: the client's timeout runs out first), or ``"422"`` (refused
with Fiken's validation message). Standard library and openapi-core only; loopback only.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import defaultdict, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
from accounting_support import FIKEN_SPEC, OpenAPIHttpxRequest, spec
from openapi_core.exceptions import OpenAPIError

PREFIX = "/api/v2"
_OFFICIAL = "https://api.fiken.no"
#: The company's chart of accounts: the NS 4102 ones the default account map books to.
ACCOUNTS = ("1500:10001", "1900", "1920:10001", "1940", "1941", "2700", "2701", "2702",
            "2910", "2965", "3000", "3030", "3050", "3100", "3200", "7740", "7790")  # fmt: skip
REFUSAL = "Linjen mangler konto: account 3050 finnes ikke"


class FikenPeer:
    """Fiken's side, kept in memory while it runs.

    Args:
        company: The company slug served.
        delay_s: Each answer waits a random share of this (so a worker killed at a
            random moment is often killed mid-request).
        slow_s: How long a ``"slow"`` answer waits.
        accounts: The chart of accounts ``GET /accounts`` lists.
    """

    def __init__(
        self,
        *,
        company: str = "butikken",
        delay_s: float = 0.0,
        slow_s: float = 2.5,
        accounts: tuple[str, ...] = ACCOUNTS,
    ) -> None:
        self.company = company
        self.delay_s = delay_s
        self.slow_s = slow_s
        self.accounts = accounts
        self.sales: list[dict[str, Any]] = []
        self.journals: list[dict[str, Any]] = []
        self.invalid: list[str] = []
        self._faults: dict[str, deque[str]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._spec = spec(FIKEN_SPEC)
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                peer._serve(self, "GET")

            def do_POST(self) -> None:
                peer._serve(self, "POST")

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base address (``[accounting] fiken_url``)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{PREFIX}"

    def start(self) -> FikenPeer:
        """Start answering; returns itself."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FikenPeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def script(self, sale_number: str, *faults: str) -> None:
        """Answer the next ``POST /sales`` of ``sale_number`` with these faults, in turn."""
        with self._lock:
            self._faults[sale_number].extend(faults)

    def booked(self) -> dict[str, int]:
        """How many times each sale number was booked."""
        with self._lock:
            counts: dict[str, int] = defaultdict(int)
            for sale in self.sales:
                counts[str(sale["saleNumber"])] += 1
            return dict(counts)

    def journals_of(self, key: str) -> int:
        """How many journal entries name ``[key]``."""
        with self._lock:
            return sum(f"[{key}]" in str(j.get("description", "")) for j in self.journals)

    # --- inside -------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        url = urlparse(handler.path)
        status, answer, headers, wait = self._answer(method, url.path, url.query, body, handler)
        if wait:
            time.sleep(wait)
        elif self.delay_s:
            time.sleep(random.uniform(0, self.delay_s))
        payload = b"" if answer is None else json.dumps(answer).encode()
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client went away (killed, or its timeout ran out)

    def _answer(
        self, method: str, path: str, query: str, body: bytes, handler: BaseHTTPRequestHandler
    ) -> tuple[int, Any, dict[str, str], float]:
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "host"}
        request = httpx.Request(method, f"{_OFFICIAL}{path}" + (f"?{query}" if query else ""),
                                headers=headers, content=body)  # fmt: skip
        if not headers.get("Authorization", "").startswith("Bearer "):
            return 401, {"error": "invalid_token"}, {}, 0.0
        try:
            self._spec.validate_request(OpenAPIHttpxRequest(request))
        except OpenAPIError as error:
            with self._lock:
                self.invalid.append(f"{method} {path}: {error}")
            return 400, {"message": f"invalid request: {error}"}, {}, 0.0
        base = f"{PREFIX}/companies/{self.company}"
        if not path.startswith(base):
            return 404, {"message": f"no company {path}"}, {}, 0.0
        rest = path[len(base) :]
        params = {k: v[0] for k, v in parse_qs(query).items()}
        with self._lock:
            if method == "GET" and rest == "":
                return 200, {"name": "Butikken AS", "slug": self.company,
                             "vatType": "bi-monthly"}, {}, 0.0  # fmt: skip
            if method == "GET" and rest == "/accounts":
                listed = [{"code": c, "name": f"Konto {c}"} for c in self.accounts]
                return 200, listed, {"Fiken-Api-Page-Count": "1"}, 0.0
            if method == "GET" and rest == "/sales":
                wanted = params.get("saleNumber")
                return 200, [s for s in self.sales if s["saleNumber"] == wanted], {}, 0.0
            if method == "GET" and rest == "/journalEntries":
                return self._journal_page(params)
            if method == "POST" and rest == "/sales":
                return self._sale(json.loads(body))
            if method == "POST" and rest == "/generalJournalEntries":
                for entry in json.loads(body)["journalEntries"]:
                    entry_id = 5000 + len(self.journals)
                    self.journals.append({"journalEntryId": entry_id, **entry})
                location = f"{_OFFICIAL}{base}/generalJournalEntries/{len(self.journals)}"
                return 201, None, {"Location": location}, 0.0
        return 404, {"message": f"not served: {method} {path}"}, {}, 0.0

    def _journal_page(self, params: dict[str, str]) -> tuple[int, Any, dict[str, str], float]:
        day = params.get("date")
        entries = [j for j in self.journals if day is None or j.get("date") == day]
        size = int(params.get("pageSize", "25"))
        page = int(params.get("page", "0"))
        pages = max(1, -(-len(entries) // size))
        shown = entries[page * size : (page + 1) * size]
        return 200, shown, {"Fiken-Api-Page-Count": str(pages)}, 0.0

    def _sale(self, sale: dict[str, Any]) -> tuple[int, Any, dict[str, str], float]:
        number = str(sale.get("saleNumber"))
        fault = self._faults[number].popleft() if self._faults[number] else ""
        if fault == "429":
            return 429, {"message": "Too many requests"}, {"Retry-After": "1"}, 0.0
        if fault == "503":
            return 503, {"message": "Service unavailable"}, {}, 0.0
        if fault == "422":
            return 422, {"message": REFUSAL}, {}, 0.0
        sale_id = 9000 + len(self.sales)
        self.sales.append({"saleId": sale_id, **sale})
        location = f"{_OFFICIAL}{PREFIX}/companies/{self.company}/sales/{sale_id}"
        return 201, None, {"Location": location}, self.slow_s if fault == "slow" else 0.0
