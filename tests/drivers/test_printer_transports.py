"""Printer transports end every write, even into a printer that stopped taking data."""

from __future__ import annotations

import os
from pathlib import Path

from pty_devices import FakeSerialPrinter, finishes

from drivers.printer import (
    EscposReceiptPrinter,
    FileTransport,
    NetworkTransport,
    SerialTransport,
)
from omnipos_tui.core.document import Document, TextLine
from omnipos_tui.core.errors import PrinterOffline
from omnipos_tui.core.ports import PrinterState

LONG = Document("long", 42, tuple(TextLine("x" * 40) for _ in range(6000)))


def test_a_serial_printer_that_stops_reading_ends_the_job_as_offline() -> None:
    device = FakeSerialPrinter()
    device.stuck = True
    printer = EscposReceiptPrinter(
        "receipt", SerialTransport(device.path, timeout=0.3, status_timeout=0.1)
    )
    try:
        finished, outcome = finishes(lambda: printer.print_document(LONG))
    finally:
        device.close()

    assert finished
    assert isinstance(outcome, PrinterOffline)
    assert "stopped taking data" in str(outcome)


def test_a_usb_device_file_that_stops_reading_ends_the_job_as_offline(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # present, but never reads
    printer = EscposReceiptPrinter(
        "receipt", FileTransport(fifo, timeout=0.3, status_timeout=0.1), check_status=False
    )
    try:
        finished, outcome = finishes(lambda: printer.print_document(LONG))
    finally:
        os.close(reader)

    assert finished
    assert isinstance(outcome, PrinterOffline)


def test_a_device_file_nobody_holds_is_offline_not_a_crash(tmp_path: Path) -> None:
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    printer = EscposReceiptPrinter("receipt", FileTransport(fifo, timeout=0.3), check_status=False)

    finished, outcome = finishes(lambda: printer.print_document(LONG))

    assert finished
    assert isinstance(outcome, PrinterOffline)


def test_a_network_printer_that_refuses_connections_is_offline() -> None:
    printer = EscposReceiptPrinter("receipt", NetworkTransport("127.0.0.1", 9, timeout=0.5))

    assert printer.status() is PrinterState.OFFLINE
    finished, outcome = finishes(lambda: printer.print_document(LONG))
    assert finished
    assert isinstance(outcome, PrinterOffline)
    assert "127.0.0.1:9" in str(outcome)


def test_a_printer_file_in_a_missing_folder_is_offline_with_the_folder_named(
    tmp_path: Path,
) -> None:
    printer = EscposReceiptPrinter(
        "receipt", FileTransport(tmp_path / "nope" / "out.bin"), check_status=False
    )

    finished, outcome = finishes(lambda: printer.print_document(LONG))

    assert finished
    assert isinstance(outcome, PrinterOffline)
    assert "nope" in str(outcome)
