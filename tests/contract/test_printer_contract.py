"""The ReceiptPrinter contract, run against the simulated printer and the real ESC/POS
printer over a pseudo-terminal, a TCP socket and a file."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The fake devices and the ESC/POS decoder live beside the driver tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "drivers"))
from escpos_decoder import decode
from pty_devices import FakeNetworkPrinter, FakeSerialPrinter, finishes

from drivers.printer import (
    EscposReceiptPrinter,
    FileTransport,
    NetworkTransport,
    SerialTransport,
    SimulatedReceiptPrinter,
)
from omnipos_tui.core.document import Align, Cut, Document, QrCode, TextLine
from omnipos_tui.core.errors import CoverOpen, PaperOut, PrinterOffline
from omnipos_tui.core.ports import PrinterState, ReceiptPrinter

DOCUMENT = Document(
    "Salgskvittering 3",
    42,
    (
        TextLine("Bakeriet på Hjørnet", bold=True, align=Align.CENTER),
        TextLine("Brød grovt 59,90"),
        QrCode("kvittering 3"),
        Cut(),
    ),
    kick_drawer=True,
)


@dataclass
class Rig:
    """A printer under test and the knobs of the device behind it."""

    printer: EscposReceiptPrinter | SimulatedReceiptPrinter
    printed: Callable[[], bytes]
    paper_out: Callable[[], None]
    cover_open: Callable[[], None]
    ready: Callable[[], None]
    silent: Callable[[], None]
    offline: Callable[[], None]
    reports_status: bool = True
    cleanup: list[Callable[[], None]] = field(default_factory=list)


def _simulated(tmp_path: Path) -> Rig:
    printer = SimulatedReceiptPrinter("receipt")
    return Rig(
        printer=printer,
        printed=lambda: b"".join(printer.printed_bytes),
        paper_out=printer.run_out_of_paper,
        cover_open=printer.open_cover,
        ready=printer.restore,
        silent=lambda: printer.set_state(PrinterState.UNKNOWN),
        offline=printer.go_offline,
    )


def _serial(tmp_path: Path) -> Rig:
    device = FakeSerialPrinter()
    printer = EscposReceiptPrinter(
        "receipt", SerialTransport(device.path, timeout=1.0, status_timeout=0.2)
    )

    def silent() -> None:
        device.model.silent = True

    return Rig(
        printer=printer,
        printed=device.model.job_bytes,
        paper_out=device.model.set_paper_out,
        cover_open=device.model.set_cover_open,
        ready=device.model.set_ready,
        silent=silent,
        offline=device.unplug,
        cleanup=[device.close],
    )


def _network(tmp_path: Path) -> Rig:
    device = FakeNetworkPrinter()
    printer = EscposReceiptPrinter(
        "receipt", NetworkTransport(device.host, device.port, timeout=1.0, status_timeout=0.2)
    )

    def silent() -> None:
        device.model.silent = True

    return Rig(
        printer=printer,
        printed=device.model.job_bytes,
        paper_out=device.model.set_paper_out,
        cover_open=device.model.set_cover_open,
        ready=device.model.set_ready,
        silent=silent,
        offline=device.close,
        cleanup=[device.close],
    )


def _file(tmp_path: Path) -> Rig:
    folder = tmp_path / "usb"
    folder.mkdir()
    target = folder / "lp0"
    printer = EscposReceiptPrinter("receipt", FileTransport(target, timeout=1.0))

    def offline() -> None:
        folder.rename(tmp_path / "unplugged")

    return Rig(
        printer=printer,
        printed=lambda: target.read_bytes() if target.exists() else b"",
        paper_out=lambda: None,
        cover_open=lambda: None,
        ready=lambda: None,
        silent=lambda: None,
        offline=offline,
        reports_status=False,
    )


@pytest.fixture(params=[_simulated, _serial, _network, _file], ids=lambda f: f.__name__[1:])
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    built: Rig = request.param(tmp_path)
    yield built
    for step in built.cleanup:
        step()


def test_it_is_a_receipt_printer_with_name_and_columns(rig: Rig) -> None:
    assert isinstance(rig.printer, ReceiptPrinter)
    assert rig.printer.name == "receipt"
    assert rig.printer.columns == 42


def test_a_printed_document_reaches_the_device_with_letters_cut_and_kick(rig: Rig) -> None:
    rig.printer.print_document(DOCUMENT)

    decoded = decode(rig.printed())
    assert "Bakeriet på Hjørnet" in decoded.text
    assert "Brød grovt 59,90" in decoded.text
    assert ("qr", "kvittering 3") in decoded.events
    assert decoded.kinds()[-2:] == ["cut", "kick"]


def test_status_is_ready_when_the_printer_says_so_and_unknown_when_it_cannot(rig: Rig) -> None:
    expected = PrinterState.READY if rig.reports_status else PrinterState.UNKNOWN
    assert rig.printer.status() is expected


def test_a_silent_printer_is_unknown_never_ready_and_still_gets_the_job(rig: Rig) -> None:
    rig.silent()

    assert rig.printer.status() is PrinterState.UNKNOWN
    rig.printer.print_document(DOCUMENT)
    assert "Brød grovt 59,90" in decode(rig.printed()).text


def test_paper_out_refuses_the_job_and_printing_resumes_with_new_paper(rig: Rig) -> None:
    if not rig.reports_status:
        pytest.skip("a file transport cannot see the paper")
    rig.paper_out()

    assert rig.printer.status() is PrinterState.PAPER_OUT
    with pytest.raises(PaperOut):
        rig.printer.print_document(DOCUMENT)
    assert "Brød" not in decode(rig.printed()).text

    rig.ready()
    rig.printer.print_document(DOCUMENT)
    assert decode(rig.printed()).text.count("Brød grovt 59,90") == 1


def test_an_open_cover_refuses_the_job(rig: Rig) -> None:
    if not rig.reports_status:
        pytest.skip("a file transport cannot see the cover")
    rig.cover_open()

    assert rig.printer.status() is PrinterState.COVER_OPEN
    with pytest.raises(CoverOpen):
        rig.printer.print_document(DOCUMENT)


def test_an_unreachable_printer_raises_offline_and_its_status_says_offline(rig: Rig) -> None:
    rig.offline()

    finished, outcome = finishes(lambda: rig.printer.print_document(DOCUMENT))
    assert finished
    assert isinstance(outcome, PrinterOffline)
    assert rig.printer.status() is PrinterState.OFFLINE


def test_probe_describes_a_working_printer_and_raises_what_a_technician_must_fix(
    rig: Rig,
) -> None:
    assert "receipt" in rig.printer.probe()

    if rig.reports_status:
        rig.paper_out()
        with pytest.raises(PaperOut, match="load a new roll"):
            rig.printer.probe()
        rig.ready()
    rig.offline()
    with pytest.raises(PrinterOffline):
        rig.printer.probe()
