"""``omnipos saft export`` of three seeded days: the official XSD (xmllint), every
signature checked with the openssl command line, file naming, journaling, failures."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from cli_support import (
    SCHEMA,
    SEEDED_FROM,
    SEEDED_TO,
    isolate,
    ok,
    ok_json,
    omnipos,
    seeded_shop,
)
from lxml import etree
from saft_reference import write_saft_records

from omnipos_tui import __version__
from omnipos_tui.bootstrap import build
from omnipos_tui.exports.saft import ArticleEntry, EmployeeEntry, export_saft_file
from omnipos_tui.services.ledger.export import ExportService, SaftSource, WrittenCounts, day_start
from omnipos_tui.settings import Override, load_settings

NS = {"s": "urn:StandardAuditFile-Taxation-CashRegister:NO"}

pytestmark = pytest.mark.slow  # seeding 150 customers through the real services: ~10 s


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo shop with 3 days x 50 customers (seed 7), shared by this module's tests."""
    data_dir = tmp_path_factory.mktemp("shop")
    with pytest.MonkeyPatch.context() as patch:
        isolate(patch, data_dir.parent)
        seeded_shop(data_dir)
        yield data_dir


@pytest.fixture(scope="module")
def exported(shop: Path) -> Path:
    """The seeded days exported once, to a named file."""
    target = shop / "export.xml"
    ok(shop, "saft", "export", "--from", SEEDED_FROM, "--to", SEEDED_TO, "-o", str(target))
    return target


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, shop: Path) -> None:
    isolate(monkeypatch, shop.parent)


def test_the_export_of_three_seeded_days_validates_against_the_official_xsd_with_xmllint(
    exported: Path,
) -> None:
    xmllint = shutil.which("xmllint")
    assert xmllint is not None, "xmllint is needed: apt-get install libxml2-utils"
    run = subprocess.run(
        [xmllint, "--noout", "--schema", str(SCHEMA), str(exported)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "validates" in run.stderr


def _predefined(root: etree._Element, basic_type: str) -> dict[str, str]:
    """Our own basicIDs of a basicType mapped to Skatteetaten's predefined codes."""
    return {
        basic.findtext("s:basicID", namespaces=NS) or "": basic.findtext(
            "s:predefinedBasicID", namespaces=NS
        )
        or ""
        for basic in root.iterfind(".//s:basics/s:basic", NS)
        if basic.findtext("s:basicType", namespaces=NS) == basic_type
    }


def test_the_export_holds_every_kind_of_transaction_the_seed_made(exported: Path) -> None:
    root = etree.parse(str(exported)).getroot()
    transactions = root.findall(".//s:cashtransaction", NS)
    assert len(transactions) > 150
    kinds = _predefined(root, "11")
    types = {kinds[t.findtext("s:transType", namespaces=NS) or ""] for t in transactions}
    assert {"11001", "11007", "11010"} <= types  # sale, opening float, cash out
    assert types & {"11006", "11013", "11016"}  # some return
    assert "11002" in types  # credit sale
    assert any(t.findtext("s:trainingID", namespaces=NS) == "true" for t in transactions)
    assert any(t.findtext("s:voidTransaction", namespaces=NS) == "true" for t in transactions)
    tenders = _predefined(root, "12")
    payments = {tenders[p.text or ""] for p in root.iterfind(".//s:payment/s:paymentType", NS)}
    assert {"12001", "12002", "12011"} <= payments  # cash, card, Vipps
    reports = root.findall(".//s:event/s:eventReport", NS)
    assert [r.findtext("s:reportType", namespaces=NS) for r in reports].count("Z report") == 3


def _verify_with_openssl(folder: Path, pem: Path, message: str, signature: str) -> bool:
    (folder / "msg.txt").write_bytes(message.encode("utf-8"))
    (folder / "sig.bin").write_bytes(base64.b64decode(signature, validate=True))
    run = subprocess.run(
        [
            "openssl", "dgst", "-sha1",
            "-verify", str(pem),
            "-signature", str(folder / "sig.bin"),
            str(folder / "msg.txt"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    return run.returncode == 0 and "Verified OK" in run.stdout


def test_every_signature_in_the_export_verifies_with_openssl_and_the_public_key_from_the_cli(
    shop: Path, exported: Path, tmp_path: Path
) -> None:
    pem = tmp_path / "pub.pem"
    pem.write_text(ok(shop, "keys", "public").stdout)
    root = etree.parse(str(exported)).getroot()
    checked = 0
    for register in root.iterfind(".//s:cashregister", NS):
        previous = "0"
        for tx in register.iterfind("s:cashtransaction", NS):
            fields = [
                tx.findtext(f"s:{name}", namespaces=NS) or ""
                for name in ("transDate", "transTime", "nr", "transAmntIn", "transAmntEx")
            ]
            message = ";".join([previous, *fields])
            signature = tx.findtext("s:signature", namespaces=NS) or ""
            assert tx.findtext("s:keyVersion", namespaces=NS) == "1-1"
            assert _verify_with_openssl(tmp_path, pem, message, signature), message
            previous = signature
            checked += 1
    assert checked > 150


def test_a_tampered_message_does_not_verify_with_openssl(
    shop: Path, exported: Path, tmp_path: Path
) -> None:
    pem = tmp_path / "pub.pem"
    pem.write_text(ok(shop, "keys", "public").stdout)
    tx = etree.parse(str(exported)).getroot().find(".//s:cashtransaction", NS)
    assert tx is not None
    signature = tx.findtext("s:signature", namespaces=NS) or ""
    date, time = (
        tx.findtext("s:transDate", namespaces=NS),
        tx.findtext("s:transTime", namespaces=NS),
    )
    amount_in = tx.findtext("s:transAmntIn", namespaces=NS)
    amount_ex = tx.findtext("s:transAmntEx", namespaces=NS)
    good = f"0;{date};{time};1;{amount_in};{amount_ex}"
    assert _verify_with_openssl(tmp_path, pem, good, signature)
    assert not _verify_with_openssl(tmp_path, pem, good.replace(";1;", ";2;"), signature)


def test_a_directory_as_output_gets_skatteetatens_file_name_and_the_export_is_journaled(
    shop: Path, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    summary = ok_json(
        shop, "saft", "export", "--from", SEEDED_TO, "--to", SEEDED_TO, "-o", str(out)
    )
    written = list(out.iterdir())
    assert [p.name for p in written] == [Path(summary["file"]).name]
    assert re.fullmatch(r"SAF-T Cash Register_921745648_\d{14}\.xml", written[0].name)
    events = ok_json(shop, "journal", "show", "--code", "13020")
    assert events, "no export event in the journal"
    last = events[-1]
    assert last["code"] == "EXPORT"
    assert last["payload"] == {
        "from": SEEDED_TO,
        "to": SEEDED_TO,
        "file": written[0].name,
        "transactions": summary["transactions"],
    }
    assert 0 < summary["transactions"] < 80


def test_an_export_that_cannot_be_written_leaves_no_file_and_no_journal_entry(
    shop: Path, tmp_path: Path
) -> None:
    before = len(ok_json(shop, "journal", "show", "--code", "EXPORT", "--limit", "1000"))
    target = tmp_path / "missing" / "out.xml"
    result = omnipos(shop, "saft", "export", "--from", SEEDED_FROM, "-o", str(target))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr
    assert "Traceback" not in result.output
    assert not target.parent.exists()
    after = len(ok_json(shop, "journal", "show", "--code", "EXPORT", "--limit", "1000"))
    assert after == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", SEEDED_TO, "--to", SEEDED_FROM), f"--to {SEEDED_FROM} is before --from"),
        (("--from", "20.11.2026"), "--from: '20.11.2026' is not a date"),
        (("--from", SEEDED_FROM, "--register", "7"), "no register '7'"),
        (("--from", SEEDED_FROM, "--employee", "77"), "wrong employee number or PIN"),
    ],
)
def test_bad_periods_and_registers_are_refused_with_a_clear_message(
    shop: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = omnipos(shop, "saft", "export", *args, "-o", str(tmp_path / "x.xml"))
    assert result.exit_code == 1
    assert message in result.stderr
    assert not (tmp_path / "x.xml").exists()


def _without_creation_time(xml: bytes) -> bytes:
    return re.sub(rb"<(dateCreated|timeCreated)>[^<]*</\1>", b"", xml)


def test_the_rows_fast_path_writes_the_bytes_of_the_transaction_records_path(
    shop: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "shop"
    shutil.copytree(shop, copy)
    settings = load_settings(
        overrides=(Override("paths.data_dir", str(copy), "--data-dir"),),
        environ={},
        fallback_file=copy / "none.toml",
    )
    services = build(settings)
    journal = services.journal

    def write_records(path: Path, source: SaftSource) -> WrittenCounts:
        """The test reference (``tests/saft_reference.py``) writing the journal's records."""
        since = day_start(source.first_day)
        until = day_start(source.last_day + timedelta(days=1))
        summary = export_saft_file(
            path,
            lambda out: write_saft_records(
                out,
                company=source.company,
                registers=source.registers,
                period_start=source.first_day,
                period_end=source.last_day,
                created_at=source.created_at,
                software_version=__version__,
                vat_rates=source.vat_rates,
                groups=source.groups,
                employees=[EmployeeEntry(e, at) for e, at in source.employees],
                articles=(ArticleEntry(p, on) for p, on in source.articles),
                customers=source.customers,
                exported_by=source.exported_by,
                events_by_register=lambda rid: journal.events(rid, since=since, until=until),
                transactions_by_register=lambda rid: journal.transactions(
                    rid, first_day=source.first_day, last_day=source.last_day
                ),
            ),
        )
        return WrittenCounts(summary.registers, summary.events, summary.transactions)

    try:
        first, last = date.fromisoformat(SEEDED_FROM), date.fromisoformat(SEEDED_TO)
        through_records = ExportService(
            services.units, services.clock, journal, write_records
        ).export_saft(tmp_path / "records.xml", first_day=first, last_day=last)
        through_rows = services.export.export_saft(
            tmp_path / "rows.xml", first_day=first, last_day=last
        )
    finally:
        services.close()
    assert through_rows.transactions == through_records.transactions > 100
    slow, fast = through_records.path.read_bytes(), through_rows.path.read_bytes()
    assert b"<dateCreated>" in fast
    assert _without_creation_time(fast) == _without_creation_time(slow)
