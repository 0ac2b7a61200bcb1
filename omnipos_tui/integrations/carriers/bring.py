"""Bring's Tracking API v2 (``GET /tracking/api/v2/tracking.json?q=NUMBER``), as described
in Bring's RAML and documentation (``../shared/reference/carriers/bring/``).

Every request carries the Mybring headers the reference documents (``X-Mybring-API-Uid``,
``X-Mybring-API-Key``, ``X-Bring-Client-URL``) and ``Accept: application/json``; it has an
explicit timeout. Bring's statuses are mapped to :class:`ParcelStatus`; informational events
(a notification sent, a delivery day changed) keep the parcel's status, and a status Bring
adds later is kept as it came (shown as unknown), never refused. A number Bring does not
know (its "No shipments found" answer) is a tracking with ``found=False``. A timeout, a
connection failure, a 5xx or 429 (also when Bring puts it inside a 200 answer, as its
"too busy" example does) raise :class:`CarrierUnavailable`; a refused API key raises
``ConfigError``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import httpx

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.orders.shipping import (
    CarrierUnavailable,
    ParcelStatus,
    Tracking,
    TrackingEvent,
)

log = logging.getLogger(__name__)

BASE_URL = "https://api.bring.com"
PATH = "/tracking/api/v2/tracking.json"
TIMEOUT_S = 10.0

#: Bring's event statuses in our words (the tracking documentation's list).
STATUSES: Mapping[str, ParcelStatus] = {
    "PRE_NOTIFIED": ParcelStatus.BOOKED,
    "HANDED_IN": ParcelStatus.HANDED_IN,
    "COLLECTED": ParcelStatus.HANDED_IN,
    "IN_TRANSIT": ParcelStatus.IN_TRANSIT,
    "TERMINAL": ParcelStatus.IN_TRANSIT,
    "INTERNATIONAL": ParcelStatus.IN_TRANSIT,
    "CUSTOMS": ParcelStatus.IN_TRANSIT,
    "READY_FOR_PICKUP": ParcelStatus.READY_FOR_PICKUP,
    "TRANSPORT_TO_RECIPIENT": ParcelStatus.OUT_FOR_DELIVERY,
    "DELIVERED": ParcelStatus.DELIVERED,
    "RETURN": ParcelStatus.RETURNED,
    "DELIVERED_SENDER": ParcelStatus.RETURNED,
    "DEVIATION": ParcelStatus.DEVIATION,
    "ATTEMPTED_DELIVERY": ParcelStatus.DEVIATION,
    "DELIVERY_CANCELLED": ParcelStatus.DEVIATION,
    "UNKNOWN": ParcelStatus.UNKNOWN,
}
#: Events that tell something without moving the parcel: it keeps its status.
INFORMATIONAL = frozenset({"NOTIFICATION_SENT", "DELIVERY_CHANGED", "DELIVERY_ORDERED"})


class BringCarrier:
    """:class:`~omnipos_tui.core.orders.shipping.Carrier` over Bring's Tracking API.

    Args:
        api_uid: The Mybring user (``[carriers.bring] api_uid`` in secrets.toml).
        api_key: The user's API key (``[carriers.bring] api_key``).
        client_url: Identifies the shop to Bring (``X-Bring-Client-URL``).
        base_url: Bring's API (a local server in the tests).
        timeout_s: Seconds to wait for an answer.
        language: Bring's language for event texts ("en", "no", "sv", "da").
        client: An httpx client to use (one is made, and closed by :meth:`close`).
    """

    code = "bring"

    def __init__(
        self,
        *,
        api_uid: str,
        api_key: str,
        client_url: str,
        base_url: str = BASE_URL,
        timeout_s: float = TIMEOUT_S,
        language: str = "en",
        client: httpx.Client | None = None,
    ) -> None:
        self._headers = {
            "X-Mybring-API-Uid": api_uid,
            "X-Mybring-API-Key": api_key,
            "X-Bring-Client-URL": client_url,
            "Accept": "application/json",
        }
        self._url = base_url.rstrip("/") + PATH
        self._timeout = timeout_s
        self._language = language
        self._client = client or httpx.Client(timeout=httpx.Timeout(timeout_s))
        self._own = client is None

    def close(self) -> None:
        """Close the HTTP client this adapter made."""
        if self._own:
            self._client.close()

    def track(self, tracking_number: str, *, booked_at: datetime) -> Tracking:
        """Ask Bring about a parcel.

        Raises:
            CarrierUnavailable: Timeout, connection failure, 5xx or 429, or an answer that
                is not Bring's JSON.
            ConfigError: Bring refused the API key (401/403).
        """
        del booked_at  # Bring knows when it got the parcel
        params = {"q": tracking_number, "lang": self._language}
        log.debug("GET %s q=%s", self._url, tracking_number)
        try:
            response = self._client.get(
                self._url, params=params, headers=self._headers, timeout=self._timeout
            )
        except httpx.TimeoutException:
            raise CarrierUnavailable(
                f"Bring did not answer within {self._timeout:g} s (GET {self._url})"
            ) from None
        except httpx.HTTPError as exc:
            raise CarrierUnavailable(
                f"Bring could not be reached (GET {self._url}): {exc}"
            ) from None
        log.debug("Bring answered %s: %s", response.status_code, response.text[:2000])
        if response.status_code in (401, 403):
            raise ConfigError(
                f"Bring refused the Mybring API key ({response.status_code}): check "
                "[carriers.bring] api_uid and api_key in secrets.toml"
            )
        if response.status_code == 429 or response.status_code >= 500:
            raise CarrierUnavailable(
                f"Bring answered {response.status_code} {response.reason_phrase} (GET {self._url})"
            )
        try:
            body = response.json()
        except ValueError:
            raise CarrierUnavailable(
                f"Bring answered {response.status_code} without JSON (GET {self._url})"
            ) from None
        if not isinstance(body, dict):
            raise CarrierUnavailable(
                f"Bring answered something that is not an object: {body!r:.80}"
            )
        return parse_tracking(body, tracking_number)


def parse_tracking(body: Mapping[str, Any], tracking_number: str) -> Tracking:
    """What a Bring tracking answer says about ``tracking_number``.

    Raises:
        CarrierUnavailable: The answer carries a server error (500, 503).
    """
    sets = _consignments(body)
    if not sets:
        return Tracking(found=False, status=ParcelStatus.UNKNOWN, description="no consignments")
    error = sets[0].get("error") if isinstance(sets[0], dict) else None
    if isinstance(error, dict):
        code = int(error.get("code") or 0)
        message = str(error.get("message") or "")
        if code >= 500 or code == 429:
            raise CarrierUnavailable(f"Bring answered {code}: {message}")
        return Tracking(
            found=False, status=ParcelStatus.UNKNOWN, raw_status=str(code), description=message
        )
    package = _package(sets, tracking_number)
    if package is None:
        return Tracking(found=False, status=ParcelStatus.UNKNOWN, description="no packages")
    events, status, raw, description = _events(package.get("eventSet") or [])
    delivered = [e.at for e in events if e.status is ParcelStatus.DELIVERED]
    span = package.get("estimatedTimeSpanOfDelivery") or {}
    return Tracking(
        found=True,
        status=status,
        raw_status=raw,
        description=description or _text(package.get("statusDescription")),
        events=tuple(events),
        estimated_date=_bring_day(package.get("dateOfEstimatedDelivery")),
        window_start=_text(span.get("startTime")) if isinstance(span, dict) else "",
        window_end=_text(span.get("endTime")) if isinstance(span, dict) else "",
        delivered_at=max(delivered) if delivered and status is ParcelStatus.DELIVERED else None,
        pickup_code=_text(package.get("pickupCode")),
        shelf=_text(package.get("shelfNumber")),
        pickup_point=_text(package.get("expectedPickupUnitName")),
    )


def _consignments(body: Mapping[str, Any]) -> list[Any]:
    """The consignment set, at the top or (Bring's "too busy" answer) under shipments."""
    sets = body.get("consignmentSet")
    if isinstance(sets, list):
        return sets
    shipments = body.get("shipments")
    if isinstance(shipments, list) and shipments and isinstance(shipments[0], dict):
        inner = shipments[0].get("consignmentSet")
        if isinstance(inner, list):
            return inner
    return []


def _package(sets: list[Any], tracking_number: str) -> Mapping[str, Any] | None:
    """The package with the number asked for, else the consignment's first package (the
    number was the consignment's, or a reference)."""
    packages = [
        package
        for consignment in sets
        if isinstance(consignment, dict)
        for package in consignment.get("packageSet") or []
        if isinstance(package, dict)
    ]
    for package in packages:
        if str(package.get("packageNumber", "")).upper() == tracking_number.upper():
            return package
    return packages[0] if packages else None


def _events(raw_events: list[Any]) -> tuple[list[TrackingEvent], ParcelStatus, str, str]:
    """The events oldest first, and the parcel's status, raw status and text: those of the
    newest event that is not informational."""
    parsed: list[tuple[datetime, dict[str, Any]]] = []
    for event in raw_events:
        if not isinstance(event, dict):
            continue
        at = _moment(event.get("dateIso"))
        if at is not None:
            parsed.append((at, event))
    parsed.sort(key=lambda pair: pair[0])
    current, raw_now, text_now = ParcelStatus.BOOKED, "", ""
    events: list[TrackingEvent] = []
    for at, event in parsed:
        raw = _text(event.get("status")).upper()
        description = _text(event.get("description"))
        if raw in INFORMATIONAL:
            mapped = current
        else:
            mapped = STATUSES.get(raw, ParcelStatus.UNKNOWN)
            current, raw_now, text_now = mapped, raw, description
        place = " ".join(_text(event.get(k)) for k in ("postalCode", "city")).strip()
        country = _text(event.get("countryCode"))
        events.append(
            TrackingEvent(
                at=at,
                status=mapped,
                raw_status=raw,
                description=description,
                place=f"{place}, {country}" if place and country else place or country,
            )
        )
    if not events:
        return [], ParcelStatus.BOOKED, "", ""
    return events, current, raw_now, text_now


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _moment(value: object) -> datetime | None:
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _bring_day(value: object) -> date | None:
    """Bring's ``dd.mm.yyyy`` (empty or null: none)."""
    text = _text(value)
    try:
        return datetime.strptime(text, "%d.%m.%Y").date() if text else None  # noqa: DTZ007
    except ValueError:
        return None
