"""Fiken API v2 (``../shared/reference/accounting/fiken/fiken-openapi.yaml``).

**How a settlement is posted, and why.** A Fiken ``cash_sale`` (``POST
/companies/{slug}/sales``) books sales lines with their exact net amount and VAT in øre
(``netPrice``, ``vat``, ``vatType``, ``account``) against *one* ``paymentAccount``. A
general journal entry (``POST .../generalJournalEntries``) books any accounts, but lets
Fiken compute the VAT of a line from its gross amount, which may differ from the Z's per-line
VAT by an øre. A Z settlement has several legs (cash, card, Vipps, gift vouchers, customer
account, tips, rounding, the counted difference), so neither alone fits. We post both:

1. first a general journal entry, *without VAT codes*, that moves every non-sales line
   against the cash account (card clearing debit / cash credit, tips, rounding, ...), its
   description ending in ``[Z-1-42]``;
2. then the ``cash_sale`` with ``saleNumber`` = the key, the revenue lines with the Z's own
   net amounts and VAT (so Fiken's VAT report equals the Z to the øre), paid to the cash
   account.

Cash ends up with exactly the voucher's cash lines (the sale's gross less what the journal
entry moved away). The **duplicate check** is the sale: ``GET .../sales?saleNumber=KEY``
(the sale is posted last, so a sale that is there means both are). A crash between the two
is found by looking for the journal entry of the voucher's day whose description holds the
key before posting it again. One request at a time per process (Fiken answers 429 to
concurrent calls of one user); 429 waits for ``Retry-After``.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import SetupProblem
from omnipos_tui.core.accounting.voucher import Posting, PostingKind, Voucher
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected
from omnipos_tui.integrations.accounting.http import TokenRefused, exchange

BASE_URL = "https://api.fiken.no/api/v2"
#: Skatteetaten's standard tax codes of sales -> Fiken's ``vatType``.
VAT_TYPES = {"3": "HIGH", "31": "MEDIUM", "32": "RAW_FISH", "33": "LOW", "5": "EXEMPT",
             "52": "EXEMPT_IMPORT_EXPORT", "51": "EXEMPT_REVERSE", "6": "OUTSIDE"}  # fmt: skip
#: Fiken allows one request at a time per user.
_ONE_AT_A_TIME = threading.Lock()


def sale_request(voucher: Voucher, cash_account: str) -> dict[str, Any]:
    """The ``saleRequest`` of the voucher's sales lines (revenue and liabilities sold at a
    VAT code), paid to the cash account."""
    lines: list[dict[str, Any]] = [
        {
            "description": f"{p.description} ({p.account})"[:200],
            "netPrice": -p.amount,
            "vat": p.vat_amount if p.amount < 0 else -p.vat_amount,
            "vatType": VAT_TYPES.get(p.vat_code or "", "OUTSIDE"),
            "account": p.account,
        }
        for p in sales_lines(voucher)
    ]
    gross = sum(line["netPrice"] + line["vat"] for line in lines)
    return {
        "saleNumber": voucher.key,
        "date": voucher.day.isoformat(),
        "kind": "cash_sale",
        "paid": True,
        "totalPaid": gross,
        "currency": "NOK",
        "lines": lines,
        "paymentAccount": cash_account,
        "paymentDate": voucher.day.isoformat(),
    }


def journal_request(voucher: Voucher, cash_account: str) -> dict[str, Any] | None:
    """The ``generalJournalEntryRequest`` moving every other line against cash, or None
    when there is nothing to move (everything was paid in cash)."""
    moves = []
    for p in voucher.lines:
        if p in sales_lines(voucher) or p.kind is PostingKind.VAT or p.account == cash_account:
            continue
        debit, credit = (p.account, cash_account) if p.amount > 0 else (cash_account, p.account)
        moves.append({"amount": abs(p.amount), "debitAccount": debit, "creditAccount": credit})
    if not moves:
        return None
    return {
        "description": f"{voucher.description} [{voucher.key}]"[:160],
        "open": False,
        "journalEntries": [
            {
                "description": f"{voucher.description} [{voucher.key}]"[:160],
                "date": voucher.day.isoformat(),
                "lines": moves,
            }
        ],
    }


def sales_lines(voucher: Voucher) -> list[Posting]:
    """The lines the cash sale books: revenue, and liabilities sold at a VAT code."""
    return [
        p
        for p in voucher.lines
        if p.kind is PostingKind.REVENUE
        or (p.kind is PostingKind.LIABILITY and p.vat_code is not None)
    ]


class FikenAccounting:
    """:class:`~omnipos_tui.core.accounting.ports.AccountingSystem` over Fiken's API v2.

    Args:
        token: A personal API token or OAuth access token (``[accounting] token``).
        company: The company slug.
        accounts: The account map (its cash account receives the sale).
        base_url: Fiken's API (Prism in the tests).
        timeout_s: Seconds to wait for an answer.
        client: An httpx client to use (one is made, and closed by :meth:`close`).
    """

    name = "fiken"

    def __init__(
        self,
        *,
        token: str,
        company: str,
        accounts: AccountMap,
        base_url: str = BASE_URL,
        timeout_s: float = 30.0,
        client: httpx.Client | None = None,
    ) -> None:
        self._company = company
        self._cash = accounts.get("cash")
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout_s))
        self._own = client is None

    def _url(self, path: str) -> str:
        return f"{self._base}/companies/{self._company}{path}"

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        with _ONE_AT_A_TIME:
            return exchange(
                self._client, "Fiken", method, self._url(path), headers=self._headers, **kwargs
            )

    def find(self, key: str) -> str | None:
        """The sale with ``saleNumber`` = key (its ``saleId``), or None."""
        body = self._call("GET", "/sales", params={"saleNumber": key}).json()
        for sale in body if isinstance(body, list) else []:
            if isinstance(sale, dict) and sale.get("saleNumber") == key:
                return str(sale.get("saleId", key))
        return None

    def _journal_posted(self, voucher: Voucher) -> bool:
        page = 0
        while True:
            params = {"date": voucher.day.isoformat(), "page": page, "pageSize": 100}
            response = self._call("GET", "/journalEntries", params=params)
            entries = response.json()
            if not isinstance(entries, list):
                return False
            if any(f"[{voucher.key}]" in str(e.get("description", "")) for e in entries):
                return True
            pages = int(response.headers.get("Fiken-Api-Page-Count", "1") or 1)
            page += 1
            if page >= pages or not entries:
                return False

    def post(self, voucher: Voucher) -> str:
        """The journal entry (unless posted already), then the sale; the sale's id (from
        its ``Location``) or the key."""
        if not self._company:
            raise DeliveryRejected("[accounting] fiken_company (the company slug) is not set")
        journal = journal_request(voucher, self._cash)
        if journal is not None and not self._journal_posted(voucher):
            self._call("POST", "/generalJournalEntries", body=journal)
        response = self._call("POST", "/sales", body=sale_request(voucher, self._cash))
        location = response.headers.get("Location", "")
        return location.rstrip("/").rsplit("/", 1)[-1] if location else voucher.key

    def check(self, accounts: AccountMap) -> list[SetupProblem]:
        """The token and company, and that every mapped account exists in Fiken."""
        try:
            company = self._call("GET", "").json()
        except TokenRefused as error:
            return [SetupProblem("credentials", "", str(error))]
        except (DeliveryDeferred, DeliveryRejected) as error:
            return [SetupProblem("connection", "", str(error))]
        problems = []
        if isinstance(company, dict) and company.get("vatType") == "no":
            problems.append(SetupProblem("vat", "", "the company is not VAT registered in Fiken"))
        codes: set[str] = set()
        page = 0
        while True:
            params = {"fromAccount": 1000, "toAccount": 9999, "page": page, "pageSize": 100}
            response = self._call("GET", "/accounts", params=params)
            found = response.json()
            for account in found if isinstance(found, list) else []:
                codes.add(str(account.get("code", "")).split(":", 1)[0])
            page += 1
            if page >= int(response.headers.get("Fiken-Api-Page-Count", "1") or 1) or not found:
                break
        for key, account in accounts.in_use():
            if account and account not in codes:
                problems.append(SetupProblem("account", key, f"account {account} is not in Fiken"))
        return problems

    def close(self) -> None:
        """Close the HTTP client this adapter made."""
        if self._own:
            self._client.close()
