"""View models: plain, already-formatted values the till's widgets draw (no Textual).

The sale services (phase 2) turn their state into these; the widgets know nothing of sales,
money or storage. Texts such as ``"43,80"`` are formatted by whoever builds the view, so a
widget never decides how money looks.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType


class Light(enum.StrEnum):
    """The status lights in the header, in the order shown."""

    PRINTER = "printer"
    DRAWER = "drawer"
    TERMINAL = "terminal"
    SCANNER = "scanner"
    DATABASE = "database"


class LightState(enum.StrEnum):
    """What a light shows: green, red, yellow or grey."""

    OK = "ok"
    FAULT = "fault"
    WARNING = "warning"
    OFF = "off"


def all_lights(state: LightState = LightState.OFF) -> Mapping[Light, LightState]:
    """Every light in one state (grey by default: nothing known yet)."""
    return MappingProxyType(dict.fromkeys(Light, state))


@dataclass(frozen=True, slots=True)
class HeaderView:
    """Row 0 of the sale screen.

    Attributes:
        register: The register's id or name ("1").
        cashier: The cashier as shown ("Kari (1043)"), or "" when nobody is logged in.
        receipt_no: The next receipt number ("000123"), or "".
        lights: State of each light; missing lights are grey.
        printer_queue: Receipts waiting for a reprint, shown next to the printer light.
        shop: The shop's name ("Butikk AS"), or "" when not known.
    """

    register: str
    cashier: str = ""
    receipt_no: str = ""
    lights: Mapping[Light, LightState] = field(default_factory=all_lights)
    printer_queue: int = 0
    shop: str = ""


@dataclass(frozen=True, slots=True)
class SaleRow:
    """One line of the sale list.

    Attributes:
        no: The line number shown in the first column.
        name: The product or group name.
        qty_text: The quantity as shown ("2", "0,456", "-1").
        unit_price_text: The unit price ("21,90").
        amount_text: The line amount after discounts ("43,80").
        voided: True for a line that a later void line cancelled (drawn dimmed).
        note: A short note after the name ("-10 %").
    """

    no: int
    name: str
    qty_text: str
    unit_price_text: str
    amount_text: str
    voided: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class TotalsView:
    """Rows 17-18: counts, discount, VAT per rate and the big total.

    Attributes:
        item_count: Number of items sold.
        discount_text: The discount total ("-5,99"), or "" when there is none.
        vat: ``(rate, amount)`` pairs such as ``("25 %", "0,40")``.
        total_text: The amount to pay ("164,61"), or to pay back when ``refund``.
        change_text: After a cash over-tender: the change ("35,00"), shown instead of the
            total until the next input; "" otherwise.
        refund: The shop owes the customer (a return): ``total_text`` is what goes back,
            shown as "Å BETALE TILBAKE", never as a negative amount to pay.
    """

    item_count: int = 0
    discount_text: str = ""
    vat: tuple[tuple[str, str], ...] = ()
    total_text: str = "0,00"
    change_text: str = ""
    refund: bool = False


@dataclass(frozen=True, slots=True)
class LastEvent:
    """Row 19: what just happened. ``ok`` draws a green ✓, otherwise a red ✗."""

    text: str
    ok: bool = True


@dataclass(frozen=True, slots=True)
class PaymentView:
    """The payment panel that replaces the sale lines (rows 2-15) while paying.

    Attributes:
        total_text: The sale's total ("164,61"); what goes back when ``refund``.
        remaining_text: What is still to pay ("64,61"), or still to pay back.
        cash_text: The remainder rounded for cash ("65,00").
        paid: One text per tender taken ("Kort 100,00 (godkjent 14:33)").
        message: The last tender's outcome ("Avvist: Ikke dekning"), or "".
        message_ok: Whether ``message`` is good news (green) or a refusal (red).
        printer_warning: A pre-flight warning about the receipt printer, or "".
    """

    total_text: str
    remaining_text: str
    cash_text: str
    paid: tuple[str, ...] = ()
    message: str = ""
    message_ok: bool = True
    printer_warning: str = ""
    refund: bool = False


@dataclass(frozen=True, slots=True)
class SaleView:
    """Everything the sale screen shows besides the entry line.

    Attributes:
        header: Row 0.
        rows: The sale lines, oldest first.
        selected: Index into ``rows`` of the selected line, or None (the last line is the
            target of void and discount then).
        totals: Rows 17-18.
        last_event: Row 19, or None for a blank line.
        warning: Row 21 text (printer queue, drawer open), or "".
        training: Training mode: red bars on rows 1 and 21.
        payment: The payment panel shown instead of the lines, or None.
    """

    header: HeaderView
    rows: tuple[SaleRow, ...] = ()
    selected: int | None = None
    totals: TotalsView = field(default_factory=TotalsView)
    last_event: LastEvent | None = None
    warning: str = ""
    training: bool = False
    payment: PaymentView | None = None


@dataclass(frozen=True, slots=True)
class Locked:
    """Who locked the till and when: the log-in screen then shows itself as a lock screen.

    Attributes:
        number: The employee's number (the number field starts with it).
        cashier: The employee as shown ("Kari (1)").
        at: When the till was locked (aware UTC).
    """

    number: str
    cashier: str
    at: datetime


@dataclass(frozen=True, slots=True)
class LoginInfo:
    """What the log-in (lock) screen shows besides the fields.

    Attributes:
        register: The register's id or name.
        shop: The shop's name.
        business_day: Today's business day.
        last_z: When the last Z report was taken, or None if never.
        parked: Parked sales on this till.
        unprinted: Receipts waiting in the reprint queue.
        lights: Header lights.
        warning: A standing warning (no drawer sensor, database unreachable), or "".
    """

    register: str
    shop: str
    business_day: date
    last_z: datetime | None = None
    parked: int = 0
    unprinted: int = 0
    lights: Mapping[Light, LightState] = field(default_factory=all_lights)
    warning: str = ""
