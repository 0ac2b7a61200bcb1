"""The Bring adapter over real HTTP: a local server started by the test serves Bring's own
example responses (tests/data/carriers/bring, copied from the reference with their source),
plus a timeout, a 503 and an unknown number; every request carries the headers Bring's
reference documents. The last tests run the shipping service against the same server."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from ledger_support import CASHIER, open_shop
from order_support import lines
from stock_support import post, supplied

from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.orders.order import Delivery, OrderStatus
from omnipos_tui.core.orders.shipping import CarrierUnavailable, ParcelStatus
from omnipos_tui.integrations.carriers.bring import BringCarrier
from omnipos_tui.services.orders.shipping import ShippingService

DATA = Path(__file__).resolve().parents[1] / "data" / "carriers" / "bring"
BOOKED = datetime(2021, 4, 18, 12, 0, tzinfo=UTC)

#: Tracking number -> (HTTP status, example file or raw body).
ANSWERS: dict[str, tuple[int, str]] = {
    "TESTPACKAGEATPICKUPPOINT": (200, "successful.json"),
    "TESTPARCELWITHETA": (200, "successfulWithEta.json"),
    "TESTPARCELWITHEXPUP": (200, "successfulWithExpectedPupDetails.json"),
    "TESTPACKAGEDELIVERED": (200, "delivered.json"),
    "TESTPACKAGELOADEDFORDELIVERY": (200, "loaded_for_delivery.json"),
    "TESTPACKAGEEDI": (200, "notification_received.json"),
    "NOSUCHPARCEL": (200, "unsuccessful.json"),
    "NOSUCHPARCEL404": (404, "unsuccessful.json"),
    "BADQUERY": (200, "bad_request.json"),
    "TOOBUSY": (200, "service_unavailable.json"),
    "HTTP503": (503, "service_unavailable.json"),
    "TECHNICAL": (200, "unspecified.json"),
    "NOTJSON": (200, "<html>maintenance</html>"),
    "NEWSTATUS": (200, "new-status"),
    "REFUSED": (401, '{"error": "unauthorized"}'),
}


class BringPeer(BaseHTTPRequestHandler):
    """Bring's tracking endpoint, replaying the examples; ``SLOW`` answers too late."""

    requests: ClassVar[list[tuple[str, dict[str, list[str]], dict[str, str]]]] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        type(self).requests.append((url.path, query, dict(self.headers.items())))
        number = query.get("q", [""])[0]
        if number == "SLOW":
            time.sleep(1.5)
        status, body = ANSWERS.get(number, (200, "unsuccessful.json"))
        if url.path != "/tracking/api/v2/tracking.json":
            status, body = 404, "{}"
        payload = _body(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        return


def _body(name: str) -> str:
    if name == "new-status":
        data = json.loads((DATA / "delivered.json").read_text(encoding="utf-8"))
        events = data["consignmentSet"][0]["packageSet"][0]["eventSet"]
        events[0] = {**events[0], "status": "PARCEL_ON_A_DRONE", "description": "Flying."}
        return json.dumps(data)
    if name.endswith(".json"):
        return (DATA / name).read_text(encoding="utf-8")
    return name


@pytest.fixture
def bring_url() -> Iterator[str]:
    BringPeer.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), BringPeer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _bring(url: str, *, timeout_s: float = 5.0) -> BringCarrier:
    return BringCarrier(
        api_uid="butikk@example.no",
        api_key="secret-key-123",
        client_url="https://butikk.example.no",
        base_url=url,
        timeout_s=timeout_s,
    )


def test_every_request_carries_the_mybring_headers_and_asks_tracking_v2(bring_url: str) -> None:
    carrier = _bring(bring_url)
    carrier.track("TESTPACKAGEATPICKUPPOINT", booked_at=BOOKED)
    carrier.close()
    path, query, headers = BringPeer.requests[-1]
    assert path == "/tracking/api/v2/tracking.json"
    assert query["q"] == ["TESTPACKAGEATPICKUPPOINT"]
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["x-mybring-api-uid"] == "butikk@example.no"
    assert lowered["x-mybring-api-key"] == "secret-key-123"
    assert lowered["x-bring-client-url"] == "https://butikk.example.no"
    assert lowered["accept"] == "application/json"


def test_a_parcel_at_the_pickup_point_has_its_code_and_the_events_oldest_first(
    bring_url: str,
) -> None:
    tracking = _bring(bring_url).track("TESTPACKAGEATPICKUPPOINT", booked_at=BOOKED)
    assert tracking.found
    assert tracking.status is ParcelStatus.READY_FOR_PICKUP
    assert tracking.raw_status == "READY_FOR_PICKUP"
    assert tracking.pickup_code == "AA11"
    assert tracking.pickup_point == "Spar Dokka"
    assert [e.raw_status for e in tracking.events] == ["IN_TRANSIT", "READY_FOR_PICKUP"]
    assert tracking.events[1].place == "2341 LØTEN, NO"
    assert tracking.shipped_at == datetime.fromisoformat("2010-09-30T08:27:08+02:00")
    assert tracking.delivered_at is None


def test_the_estimated_day_and_time_window_are_read(bring_url: str) -> None:
    tracking = _bring(bring_url).track("TESTPARCELWITHETA", booked_at=BOOKED)
    assert tracking.status is ParcelStatus.OUT_FOR_DELIVERY
    assert tracking.estimated_date == date(2021, 4, 20)
    assert (tracking.window_start, tracking.window_end) == ("08:00", "16:00")
    expected = _bring(bring_url).track("TESTPARCELWITHEXPUP", booked_at=BOOKED)
    assert expected.status is ParcelStatus.IN_TRANSIT
    assert expected.pickup_point == "Spar Dokka"
    assert expected.estimated_date is None and expected.window_start == "11:00"
    assert len(expected.events) == 6 and expected.events[0].raw_status == "PRE_NOTIFIED"


@pytest.mark.parametrize(
    ("number", "status", "delivered"),
    [
        ("TESTPACKAGEDELIVERED", ParcelStatus.DELIVERED, "2010-09-30T17:45:25+02:00"),
        ("TESTPACKAGELOADEDFORDELIVERY", ParcelStatus.OUT_FOR_DELIVERY, None),
        ("TESTPACKAGEEDI", ParcelStatus.BOOKED, None),
    ],
)
def test_each_example_maps_to_the_status_set(
    bring_url: str, number: str, status: ParcelStatus, delivered: str | None
) -> None:
    tracking = _bring(bring_url).track(number, booked_at=BOOKED)
    assert tracking.status is status
    assert tracking.delivered_at == (
        None if delivered is None else datetime.fromisoformat(delivered)
    )


def test_a_status_bring_adds_later_is_kept_as_it_came_and_shown_unknown(bring_url: str) -> None:
    tracking = _bring(bring_url).track("NEWSTATUS", booked_at=BOOKED)
    assert tracking.status is ParcelStatus.UNKNOWN
    assert tracking.raw_status == "PARCEL_ON_A_DRONE"
    assert tracking.events[-1].raw_status == "PARCEL_ON_A_DRONE"
    assert tracking.delivered_at is None


@pytest.mark.parametrize("number", ["NOSUCHPARCEL", "NOSUCHPARCEL404", "BADQUERY"])
def test_a_number_bring_does_not_know_is_an_answer_not_an_error(
    bring_url: str, number: str
) -> None:
    tracking = _bring(bring_url).track(number, booked_at=BOOKED)
    assert not tracking.found
    assert tracking.status is ParcelStatus.UNKNOWN
    assert tracking.description in {"No shipments found", "Invalid query"}


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("TOOBUSY", "503: Server too busy"),
        ("HTTP503", "503 Service Unavailable"),
        ("TECHNICAL", "500: Error getting track & trace information"),
        ("NOTJSON", "without JSON"),
    ],
)
def test_a_busy_or_broken_bring_is_unavailable(bring_url: str, number: str, reason: str) -> None:
    with pytest.raises(CarrierUnavailable, match=reason):
        _bring(bring_url).track(number, booked_at=BOOKED)


def test_a_bring_that_answers_too_late_is_unavailable(bring_url: str) -> None:
    with pytest.raises(CarrierUnavailable, match=r"did not answer within 0\.3 s"):
        _bring(bring_url, timeout_s=0.3).track("SLOW", booked_at=BOOKED)


def test_a_refused_api_key_names_the_secrets_to_check(bring_url: str) -> None:
    with pytest.raises(ConfigError, match=r"\[carriers.bring\] api_uid and api_key"):
        _bring(bring_url).track("REFUSED", booked_at=BOOKED)


def test_no_bring_at_all_is_unavailable() -> None:
    with pytest.raises(CarrierUnavailable, match="could not be reached"):
        _bring("http://127.0.0.1:9", timeout_s=1).track("TESTPACKAGEDELIVERED", booked_at=BOOKED)


# --- the shipping service against the local Bring ----------------------------------------


def test_orders_track_keeps_an_unknown_number_and_a_503_leaves_the_last_known_status(
    bring_url: str, tmp_path: Path
) -> None:
    services, clock = open_shop(tmp_path, algorithm="hmac-sha1")
    try:
        post(services, supplied("10001", 5000, 1200))
        services.customers.add(Customer("500", "Kari", "", "", "", "Gata 1", "7011", "Trondheim"))
        bring = _bring(bring_url)
        shipping = ShippingService(services.units, clock, {"bring": lambda: bring})
        unknown = services.orders.new("500", lines("10001=1"), delivery=Delivery.SHIP).order
        shipping.ship(unknown.number, carrier="bring", tracking="NOSUCHPARCEL")
        result = shipping.track(unknown.number)[0]
        assert (result.shipment.status, result.shipment.tracking.found) == (
            ParcelStatus.UNKNOWN,
            False,
        )
        assert (
            services.orders.show(unknown.number).order.shipments[0].tracking_number
            == "NOSUCHPARCEL"
        )

        order = services.orders.new("500", lines("10001=1"), delivery=Delivery.SHIP).order
        shipping.ship(
            order.number, carrier="bring", tracking="TESTPACKAGEATPICKUPPOINT", employee=CASHIER
        )
        first = shipping.track(order.number)[0]
        assert first.shipment.status is ParcelStatus.READY_FOR_PICKUP
        fetched = first.shipment.fetched_at
        ANSWERS["TESTPACKAGEATPICKUPPOINT"] = (503, "service_unavailable.json")
        try:
            clock.advance(timedelta(minutes=45))
            again = shipping.track(order.number)[0]
        finally:
            ANSWERS["TESTPACKAGEATPICKUPPOINT"] = (200, "successful.json")
        assert "503" in again.error
        shown = services.orders.show(order.number).order.shipments[0]
        assert shown.status is ParcelStatus.READY_FOR_PICKUP
        assert shown.tracking.pickup_code == "AA11"
        assert fetched is not None and shown.fetched_at == fetched  # when Bring last answered
        assert "503" in shown.fetch_error
        assert services.orders.show(order.number).order.status is OrderStatus.SHIPPED
        bring.close()
    finally:
        services.close()
