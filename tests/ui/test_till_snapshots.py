"""How the till looks: SVG snapshots at a fixed size with a frozen clock (Textual pinned).

Snapshots live in ``tests/ui/__snapshots__/test_till_snapshots/``. After an intended change
of look, regenerate them with ``pytest tests/ui/test_till_snapshots.py --snapshot-update``
and review the SVGs (the report ``snapshot_report.html`` shows the difference on failure).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from omnipos_tui.ui.views import HeaderView, LastEvent, SaleRow, SaleView, TotalsView

from .fakes import LIGHTS, AppFactory, FakeSale

SnapCompare = Callable[..., bool]

B3_ROWS = (
    SaleRow(1, "Tine Lettmelk 1 l", "2", "21,90", "43,80"),
    SaleRow(2, "Grandiosa Original", "1", "64,90", "64,90"),
    SaleRow(3, "Coca-Cola 0,5 l", "1", "29,90", "29,90", voided=True),
    SaleRow(4, "ANNULLERT linje 3", "-1", "29,90", "-29,90"),
    SaleRow(5, "Bærepose", "1", "2,00", "2,00"),
    SaleRow(6, "Kaffe Evergood 250 g", "1", "59,90", "53,91", note="-10 %"),
)


def b3_view(*, training: bool = False, warning: str = "") -> SaleView:
    """The sale screen of TILL-UX B3."""
    return SaleView(
        header=HeaderView(register="1", cashier="Kari (1043)", receipt_no="000123", lights=LIGHTS),
        rows=B3_ROWS,
        selected=5,
        totals=TotalsView(
            item_count=5,
            discount_text="-5,99",
            vat=(("25 %", "0,40"), ("15 %", "21,21")),
            total_text="164,61",
        ),
        last_event=LastEvent("Kaffe Evergood 250 g  59,90  (10 % rabatt)"),
        warning=warning,
        training=training,
    )


async def log_in(pilot: Pilot[None]) -> None:
    await pilot.press(*"1043", "enter", *"1234", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def log_in_and_type_a_quantity(pilot: Pilot[None]) -> None:
    await log_in(pilot)
    await pilot.press("3", "asterisk")
    await pilot.pause()


def test_the_login_screen_at_80x24(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), press=[*"1043", "enter", *"12"], terminal_size=(80, 24))


def test_the_help_screen_at_80x24(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), press=["f1"], terminal_size=(80, 24))


def test_the_sale_screen_layout_at_80x24(
    snap_compare: SnapCompare, make_app: AppFactory, sale: FakeSale
) -> None:
    sale.preset = b3_view()
    assert snap_compare(make_app(), run_before=log_in_and_type_a_quantity, terminal_size=(80, 24))


def test_the_sale_screen_in_training_with_a_warning_at_80x24(
    snap_compare: SnapCompare, make_app: AppFactory, sale: FakeSale
) -> None:
    sale.preset = b3_view(training=True, warning="Kvittering ikke skrevet: 1 (F12 Skriverkø)")
    assert snap_compare(make_app(), run_before=log_in, terminal_size=(80, 24))


def test_the_sale_screen_uses_extra_room_on_a_bigger_terminal(
    snap_compare: SnapCompare, make_app: AppFactory, sale: FakeSale
) -> None:
    sale.preset = b3_view()
    assert snap_compare(make_app(), run_before=log_in, terminal_size=(110, 30))


def test_the_sale_screen_in_english(
    snap_compare: SnapCompare, make_app: AppFactory, sale: FakeSale
) -> None:
    sale.preset = b3_view()
    assert snap_compare(make_app(language="en"), run_before=log_in, terminal_size=(80, 24))
