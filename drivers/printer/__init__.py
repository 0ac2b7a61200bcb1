"""Receipt printers: ESC/POS rendering, transports, the real and simulated printer, and the
persistent print queue."""

from __future__ import annotations

from drivers.printer.document_json import document_from_json, document_to_json
from drivers.printer.escpos_printer import EscposReceiptPrinter
from drivers.printer.queue import JobStatus, PrintJob, PrintQueue
from drivers.printer.render import EscposRenderer
from drivers.printer.simulated import SimulatedReceiptPrinter
from drivers.printer.transports import (
    FileTransport,
    NetworkTransport,
    PrinterTransport,
    SerialTransport,
)

__all__ = [
    "EscposReceiptPrinter",
    "EscposRenderer",
    "FileTransport",
    "JobStatus",
    "NetworkTransport",
    "PrintJob",
    "PrintQueue",
    "PrinterTransport",
    "SerialTransport",
    "SimulatedReceiptPrinter",
    "document_from_json",
    "document_to_json",
]
