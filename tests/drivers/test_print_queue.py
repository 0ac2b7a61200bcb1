"""The persistent print queue: stored before sent, retried after faults and restarts, never
printed twice once done."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from escpos_decoder import decode
from pty_devices import finishes

from drivers.printer import (
    EscposReceiptPrinter,
    FileTransport,
    JobStatus,
    PrintQueue,
    SimulatedReceiptPrinter,
)
from drivers.printer.document_json import document_from_json, document_to_json
from omnipos_tui.core.document import (
    Align,
    Barcode,
    Cut,
    Document,
    Feed,
    Logo,
    QrCode,
    Rule,
    TextLine,
)
from omnipos_tui.core.errors import InvalidInput, NotFound

RECEIPT = Document(
    "Salgskvittering 7",
    42,
    (
        TextLine("Blåbær", bold=True, double=True, align=Align.CENTER),
        Rule("="),
        Feed(2),
        Barcode("7038010009457", "EAN13"),
        QrCode("x", 6),
        Logo(),
        Cut(),
    ),
    kick_drawer=True,
)
REPORT = Document("X-rapport", 42, (TextLine("X-rapport"), Cut()))


def test_documents_survive_a_json_round_trip_unchanged() -> None:
    assert document_from_json(document_to_json(RECEIPT)) == RECEIPT
    assert document_from_json(document_to_json(REPORT)) == REPORT


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": 2}',
        '{"format": 1, "title": "x", "columns": 42, "kick_drawer": false, '
        '"items": [{"type": "x"}]}',
        '{"format": 1, "title": "x", "columns": "42", "kick_drawer": false, "items": []}',
    ],
)
def test_a_damaged_document_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(InvalidInput):
        document_from_json(text)


def test_a_job_is_printed_at_once_when_the_printer_is_ready(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter()
    queue = PrintQueue(tmp_path / "spool", {"receipt": printer})

    job = queue.submit("receipt", RECEIPT)

    assert job.status is JobStatus.DONE
    assert printer.documents == [RECEIPT]
    assert queue.pending() == []


def test_with_the_printer_offline_a_job_waits_survives_a_restart_and_prints_exactly_once(
    tmp_path: Path,
) -> None:
    printer = SimulatedReceiptPrinter()
    printer.go_offline()
    first = PrintQueue(tmp_path / "spool", {"receipt": printer})

    job = first.submit("receipt", RECEIPT)

    assert job.status is JobStatus.PENDING
    assert "offline" in job.last_error
    assert printer.documents == []

    # The till restarts: a new queue over the same directory finds the job.
    second = PrintQueue(tmp_path / "spool", {"receipt": printer})
    assert [waiting.id for waiting in second.pending()] == [job.id]
    assert second.flush() == []

    printer.restore()
    printed = second.flush()

    assert [p.id for p in printed] == [job.id]
    assert printer.documents == [RECEIPT]
    assert second.flush() == []
    assert PrintQueue(tmp_path / "spool", {"receipt": printer}).flush() == []
    assert printer.documents == [RECEIPT]


def test_jobs_keep_their_order_and_one_printers_fault_does_not_hold_another(
    tmp_path: Path,
) -> None:
    receipts = SimulatedReceiptPrinter("receipt")
    reports = SimulatedReceiptPrinter("reports")
    receipts.run_out_of_paper()
    queue = PrintQueue(tmp_path, {"receipt": receipts, "reports": reports})

    first = queue.submit("receipt", Document("A", 42, (TextLine("A"),)))
    second = queue.submit("receipt", Document("B", 42, (TextLine("B"),)))
    report = queue.submit("reports", REPORT)

    assert report.status is JobStatus.DONE
    assert [job.id for job in queue.pending("receipt")] == [first.id, second.id]
    assert "paper" in queue.pending("receipt")[0].last_error

    receipts.restore()
    queue.flush("receipt")
    assert [doc.title for doc in receipts.documents] == ["A", "B"]


def test_the_retry_thread_prints_when_the_fault_clears(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter()
    printer.open_cover()
    queue = PrintQueue(tmp_path, {"receipt": printer})
    queue.submit("receipt", RECEIPT)
    queue.start(interval=0.02)
    try:
        printer.restore()

        def wait_until_printed() -> None:
            while queue.pending():
                threading.Event().wait(0.02)

        done, _ = finishes(wait_until_printed)
    finally:
        queue.stop()
    assert done
    assert printer.documents == [RECEIPT]


def test_a_job_cut_off_by_a_crash_waits_for_the_cashier_instead_of_printing_again(
    tmp_path: Path,
) -> None:
    printer = SimulatedReceiptPrinter()
    printer.go_offline()
    queue = PrintQueue(tmp_path, {"receipt": printer})
    job = queue.submit("receipt", RECEIPT)
    # A crash while sending leaves the job in sending/.
    (tmp_path / "pending" / f"{job.id}.json").rename(tmp_path / "sending" / f"{job.id}.json")
    printer.restore()

    restarted = PrintQueue(tmp_path, {"receipt": printer})
    assert restarted.flush() == []
    assert [j.status for j in restarted.pending()] == [JobStatus.INTERRUPTED]
    assert printer.documents == []

    assert restarted.retry(job.id).status is JobStatus.DONE
    assert printer.documents == [RECEIPT]


def test_a_discarded_job_is_never_printed(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter()
    printer.go_offline()
    queue = PrintQueue(tmp_path, {"receipt": printer})
    job = queue.submit("receipt", RECEIPT)

    queue.discard(job.id)
    printer.restore()

    assert queue.flush() == []
    assert printer.documents == []
    assert queue.job(job.id).status is JobStatus.DISCARDED
    with pytest.raises(NotFound):
        queue.discard(job.id)


def test_a_damaged_job_file_is_set_aside_and_the_rest_still_print(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter()
    printer.go_offline()
    queue = PrintQueue(tmp_path, {"receipt": printer})
    bad = queue.submit("receipt", RECEIPT)
    good = queue.submit("receipt", REPORT)
    path = tmp_path / "pending" / f"{bad.id}.json"
    record = json.loads(path.read_text())
    record["document"]["items"] = "garbage"
    path.write_text(json.dumps(record))
    printer.restore()

    printed = queue.flush()

    assert [job.id for job in printed] == [good.id]
    assert (tmp_path / "broken" / f"{bad.id}.json").exists()


def test_an_unknown_printer_name_is_refused_with_the_configured_names(tmp_path: Path) -> None:
    queue = PrintQueue(tmp_path, {"receipt": SimulatedReceiptPrinter()})

    with pytest.raises(NotFound, match="receipt"):
        queue.submit("kitchen", RECEIPT)


def test_the_job_file_is_complete_json_before_anything_is_sent(tmp_path: Path) -> None:
    printer = SimulatedReceiptPrinter()
    printer.go_offline()
    queue = PrintQueue(tmp_path, {"receipt": printer})

    job = queue.submit("receipt", RECEIPT)

    record = json.loads((tmp_path / "pending" / f"{job.id}.json").read_text())
    assert record["printer"] == "receipt"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_job_queued_by_another_process_prints_once_in_this_one(tmp_path: Path) -> None:
    # The first process queues a job for a printer that is not there yet, then exits.
    out = tmp_path / "printer.bin"
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from drivers.printer import EscposReceiptPrinter, FileTransport, PrintQueue
        from omnipos_tui.core.document import Cut, Document, TextLine
        printer = EscposReceiptPrinter(
            "receipt", FileTransport(Path({str(out / "missing" / "lp0")!r})), check_status=False
        )
        queue = PrintQueue(Path({str(tmp_path / "spool")!r}), {{"receipt": printer}})
        job = queue.submit("receipt", Document("K 1", 42, (TextLine("Rømme"), Cut())))
        print(job.status)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "pending", result.stderr

    out.mkdir()
    printer = EscposReceiptPrinter("receipt", FileTransport(out / "lp0"), check_status=False)
    queue = PrintQueue(tmp_path / "spool", {"receipt": printer})
    queue.flush()
    queue.flush()

    decoded = decode((out / "lp0").read_bytes())
    assert [line.text for line in decoded.lines].count("Rømme") == 1
