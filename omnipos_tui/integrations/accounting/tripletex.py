"""Tripletex API v2 (``../shared/reference/accounting/tripletex/tripletex-openapi.json``).

A session token is made from the consumer and employee tokens (``PUT
/token/session/:create``) and sent as HTTP Basic with user ``0``; a 401 makes a new session
once and asks again. A settlement is one ``POST /ledger/voucher`` with balanced postings
(credit negative, ``row`` from 1): each revenue line with its ``vatType`` and both its net
``amount`` and ``amountGross`` (the Z's own VAT, so Tripletex's VAT posting equals the Z's
to the øre); the VAT lines are not sent (Tripletex books the VAT of a posting with a VAT
type itself); every other line without VAT. Accounts and VAT types are looked up by number
(``GET /ledger/account?number=``, ``GET /ledger/vatType?number=``) and cached, never
hard-coded ids. The duplicate check is ``GET /ledger/voucher/>externalVoucherNumber``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from omnipos_tui.core.accounting.accounts import AccountMap
from omnipos_tui.core.accounting.ports import SetupProblem
from omnipos_tui.core.accounting.voucher import PostingKind, Voucher
from omnipos_tui.core.errors import DeliveryDeferred, DeliveryRejected
from omnipos_tui.integrations.accounting.http import TokenRefused, exchange

BASE_URL = "https://tripletex.no/v2"


def nok(ore: int) -> float:
    """Øre as the API's NOK number (two decimals exactly representable as text)."""
    return round(ore / 100, 2)


def voucher_request(
    voucher: Voucher, account_ids: dict[str, int], vat_ids: dict[str, int]
) -> dict[str, Any]:
    """The ``Voucher`` of a settlement with account and VAT type ids looked up."""
    postings: list[dict[str, Any]] = []
    for p in voucher.lines:
        if p.kind is PostingKind.VAT:
            continue  # Tripletex books the VAT of the revenue postings itself
        posting: dict[str, Any] = {
            "row": len(postings) + 1,
            "date": voucher.day.isoformat(),
            "description": p.description[:200],
            "account": {"id": account_ids[p.account]},
            "amount": nok(p.amount),
            "amountCurrency": nok(p.amount),
            "amountGross": nok(p.amount),
            "amountGrossCurrency": nok(p.amount),
        }
        if p.vat_code is not None and p.kind is PostingKind.REVENUE:
            gross = p.amount - p.vat_amount if p.amount < 0 else p.amount + p.vat_amount
            posting["amountGross"] = posting["amountGrossCurrency"] = nok(gross)
            posting["vatType"] = {"id": vat_ids[p.vat_code]}
        postings.append(posting)
    return {
        "date": voucher.day.isoformat(),
        "description": f"{voucher.description} [{voucher.key}]"[:255],
        "externalVoucherNumber": voucher.key,
        "postings": postings,
    }


class TripletexAccounting:
    """:class:`~omnipos_tui.core.accounting.ports.AccountingSystem` over Tripletex's API v2.

    Args:
        consumer_token: The integration's consumer token.
        employee_token: The shop's employee token.
        base_url: Tripletex's API (a local peer in the tests).
        timeout_s: Seconds to wait for an answer.
        client: An httpx client to use (one is made, and closed by :meth:`close`).
        today: Today's date (the session's expiry is counted from it).
    """

    name = "tripletex"

    def __init__(
        self,
        *,
        consumer_token: str,
        employee_token: str,
        base_url: str = BASE_URL,
        timeout_s: float = 30.0,
        client: httpx.Client | None = None,
        today: date | None = None,
    ) -> None:
        self._consumer = consumer_token
        self._employee = employee_token
        self._base = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout_s))
        self._own = client is None
        self._today = today
        self._session: str | None = None
        self._accounts: dict[str, int] = {}
        self._vat_types: dict[str, int] = {}

    def _new_session(self) -> str:
        day = self._today or date.today()  # noqa: DTZ011 - the session's expiry day only
        params = {
            "consumerToken": self._consumer,
            "employeeToken": self._employee,
            "expirationDate": (day + timedelta(days=2)).isoformat(),
        }
        body = exchange(
            self._client, "Tripletex", "PUT", f"{self._base}/token/session/:create", params=params
        ).json()
        token = body.get("value", {}).get("token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise DeliveryDeferred("Tripletex made no session token (no value.token)")
        self._session = token
        return token

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        for attempt in (1, 2):
            token = self._session or self._new_session()
            try:
                return exchange(
                    self._client,
                    "Tripletex",
                    method,
                    f"{self._base}{path}",
                    auth=("0", token),
                    # The media type the spec names for request bodies.
                    headers={
                        "Accept": "application/json",
                        "Content-Type": "application/json; charset=utf-8",
                    },
                    **kwargs,
                )
            except TokenRefused:
                self._session = None  # expired: make a new session once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _values(self, path: str, params: dict[str, str | int]) -> list[dict[str, Any]]:
        # "from" and "count" are sent although optional: the spec's defaults for them are
        # strings ('0'), which a validating peer would take for what we sent.
        paged: dict[str, str | int] = {**params, "from": 0, "count": 1000}
        body = self._call("GET", path, params=paged).json()
        values = body.get("values") if isinstance(body, dict) else None
        return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []

    def account_id(self, number: str) -> int | None:
        """The id of the account with this number (cached), or None."""
        if number not in self._accounts:
            found = self._values("/ledger/account", {"number": number, "fields": "id,number"})
            match = [v for v in found if str(v.get("number")) == number]
            if not match:
                return None
            self._accounts[number] = int(match[0]["id"])
        return self._accounts[number]

    def vat_type_id(self, code: str) -> int | None:
        """The id of the VAT type with this standard code (cached), or None."""
        if code not in self._vat_types:
            found = self._values("/ledger/vatType", {"number": code, "fields": "id,number"})
            match = [v for v in found if str(v.get("number")) == code]
            if not match:
                return None
            self._vat_types[code] = int(match[0]["id"])
        return self._vat_types[code]

    def find(self, key: str) -> str | None:
        """The voucher with ``externalVoucherNumber`` = key (its id), or None."""
        params: dict[str, str | int] = {
            "externalVoucherNumber": key,
            "fields": "id,externalVoucherNumber",
        }
        for value in self._values("/ledger/voucher/>externalVoucherNumber", params):
            if value.get("externalVoucherNumber") == key:
                return str(value.get("id", key))
        return None

    def post(self, voucher: Voucher) -> str:
        """Book the voucher; its id."""
        accounts: dict[str, int] = {}
        vats: dict[str, int] = {}
        for p in voucher.lines:
            found = self.account_id(p.account)
            if found is None:
                raise DeliveryRejected(f"Tripletex has no account {p.account} ({p.description})")
            accounts[p.account] = found
            if p.vat_code is not None and p.kind is PostingKind.REVENUE:
                vat = self.vat_type_id(p.vat_code)
                if vat is None:
                    raise DeliveryRejected(f"Tripletex has no VAT type {p.vat_code}")
                vats[p.vat_code] = vat
        body = voucher_request(voucher, accounts, vats)
        answer = self._call(
            "POST", "/ledger/voucher", params={"sendToLedger": "true"}, body=body
        ).json()
        value = answer.get("value") if isinstance(answer, dict) else None
        return str(value.get("id", voucher.key)) if isinstance(value, dict) else voucher.key

    def check(self, accounts: AccountMap) -> list[SetupProblem]:
        """The tokens, every mapped account and every standard tax code of sales."""
        try:
            self._new_session()
        except TokenRefused as error:
            return [SetupProblem("credentials", "", str(error))]
        except (DeliveryDeferred, DeliveryRejected) as error:
            return [SetupProblem("connection", "", str(error))]
        problems = []
        for key, number in accounts.in_use():
            if number and self.account_id(number) is None:
                problems.append(
                    SetupProblem("account", key, f"account {number} is not in Tripletex")
                )
        for code in ("3", "31", "33", "5", "6"):
            if self.vat_type_id(code) is None:
                problems.append(SetupProblem("vat", code, f"VAT type {code} is not enabled"))
        return problems

    def close(self) -> None:
        """Close the HTTP client this adapter made."""
        if self._own:
            self._client.close()
