"""Checking our hash chain (``core/ledger/chain.py``): one register's journal events and
transactions walked in order against the stored chain values, the numbers without gaps,
and the chains' ends against the register's state, its Z reports and its receipt copies.

Each row is checked against the *stored* chain value of the row before it, so a row
changed by hand is named once and the rows after it still check; a number missing is a
deletion; rows past the number the register's state holds were added outside OmniPOS
(unless a till wrote them while the check read: the state is read again then).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from omnipos_tui.core.ledger.chain import (
    GENESIS,
    ChainAnchors,
    ChainCheck,
    ProblemKind,
    StoredEvent,
    StoredTransaction,
    ZAnchor,
    digest,
    link,
)

_T = TypeVar("_T")


def _numbers(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}..{last}"


# --- the check ---------------------------------------------------------------------------


def check_chains(
    register_id: str,
    anchors: Callable[[], ChainAnchors],
    event_pages: Iterable[Sequence[StoredEvent]],
    transaction_pages: Iterable[Sequence[StoredTransaction]],
) -> ChainCheck:
    """Check one register's event and transaction chains and their anchors.

    The pages are read lazily, after the first call of ``anchors``, and ``anchors`` is
    asked again when rows were read that its first answer does not cover (a till that
    went on selling during the check wrote them; rows past the later answer were added
    outside OmniPOS). So the check needs no snapshot of the database.

    Args:
        register_id: The register.
        anchors: Reads the register's state and Z report anchors.
        event_pages: Its journal event rows in ``seq`` order, page by page.
        transaction_pages: Its transactions in ``nr`` order, page by page.

    Returns:
        What was found.
    """
    result = ChainCheck(register_id)
    first = anchors()
    # ``anchors`` is asked again (never cached) only when rows were read that the first
    # answer does not cover: the answer then covers everything read before it.
    _EventWalk(result, first).run(_rows(event_pages), anchors)
    _TransactionWalk(result, first).run(_rows(transaction_pages), anchors)
    return result


def _rows(pages: Iterable[Sequence[_T]]) -> Iterator[_T]:
    for page in pages:
        yield from page


class _Walk:
    """What the two walks share: numbering, links, the tail and the Z anchors."""

    noun = ""
    plural = ""

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        self.result = result
        self.register_id = result.register_id
        self.anchors = anchors
        self.previous_number = 0
        self.previous_chain = GENESIS
        self.chains: dict[int, str] = {0: GENESIS}  # those the anchors point at
        self.past_state: dict[int, str] = {}  # chain values of rows past the state

    # what each walk knows about its anchors
    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        raise NotImplementedError

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        raise NotImplementedError

    def label(self, number: int) -> str:
        raise NotImplementedError

    def numbered(self, number: int, chain: str, wanted: set[int], last: int) -> None:
        """Keep the chain values the anchors will be compared with."""
        if number in wanted:
            self.chains[number] = chain
        if number > last:
            self.past_state[number] = chain

    def gap(self, number: int) -> None:
        """Rows missing before ``number``."""
        first, last = self.previous_number + 1, number - 1
        self.result.add(
            ProblemKind.MISSING,
            f"{self.plural} {_numbers(first, last)} of register {self.register_id}",
            f"{self.plural} {_numbers(first, last)} of register {self.register_id} are "
            f"missing before {self.label(number)}: deleted",
        )

    def finish(self, again: Callable[[], ChainAnchors]) -> None:
        """Compare the end of the chain with the register's state."""
        last, anchored = self.anchored_last(self.anchors)
        seen = self.previous_number
        if seen < last:
            self.result.add(
                ProblemKind.MISSING_AT_END,
                f"{self.plural} {_numbers(seen + 1, last)} of register {self.register_id}",
                f"the newest {self.plural} {_numbers(seen + 1, last)} of register "
                f"{self.register_id} are missing: the register's state says its last is "
                f"{last}, the stored rows end at {seen}",
            )
        elif self.chains.get(last, anchored) != anchored:
            self.result.add(
                ProblemKind.TAIL_CHANGED,
                self.label(last),
                f"{self.label(last)} is not the one the register's state recorded as its "
                f"last: it, or a {self.noun} before it, was changed or replaced",
            )
        if seen > last:
            now, anchored_now = self.anchored_last(again())
            if seen > now:
                self.result.add(
                    ProblemKind.ADDED,
                    f"{self.plural} {_numbers(now + 1, seen)} of register {self.register_id}",
                    f"{self.plural} {_numbers(now + 1, seen)} of register {self.register_id} "
                    f"were added outside OmniPOS: the register's state says its last is {now}",
                )
            elif now in self.past_state and self.past_state[now] != anchored_now:
                self.result.add(
                    ProblemKind.TAIL_CHANGED,
                    self.label(now),
                    f"{self.label(now)} is not the one the register's state recorded as its "
                    "last: it, or one before it, was changed or replaced",
                )
        for number, zs in sorted(self.z_positions().items()):
            if number > seen:
                for z in zs:
                    self.z_problem(z, f"{self.label(number)} is missing")

    def z_problem(self, z: ZAnchor, what: str) -> None:
        self.result.add(
            ProblemKind.Z_ANCHOR,
            f"Z report {z.report_no} of register {self.register_id}",
            f"Z report {z.report_no} ({z.business_day}) of register {self.register_id}: {what}",
        )


class _EventWalk(_Walk):
    noun = "event"
    plural = "journal events"

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        super().__init__(result, anchors)
        self.zs: dict[int, list[ZAnchor]] = {}
        for z in anchors.z_reports:
            self.zs.setdefault(z.last_event_seq, []).append(z)

    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        return anchors.last_event_seq, anchors.event_chain

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        return self.zs

    def label(self, number: int) -> str:
        return f"journal event {self.register_id}-{number}"

    def run(self, rows: Iterable[StoredEvent], again: Callable[[], ChainAnchors]) -> None:
        wanted = {self.anchors.last_event_seq}
        last = self.anchors.last_event_seq
        copied: set[str] = set()
        for event in rows:
            self.result.events += 1
            seq = event.seq
            if seq > self.previous_number + 1:
                self.gap(seq)
            elif link(self.previous_chain, event.values) != event.chain:
                self.result.add(
                    ProblemKind.CHANGED,
                    self.label(seq),
                    f"{self.label(seq)} ({event.code}) was changed after it was written: its "
                    f"stored fields do not give its chain value (or the chain value of the "
                    f"event before it was rewritten)",
                )
            self.numbered(seq, event.chain, wanted, last)
            for z in self.zs.get(seq, ()):
                self._z(z, event)
            if event.code == "COPYRECEIPT" and event.trans_id:
                copied.add(event.trans_id)
                known = event.trans_id in self.anchors.copies
                if not known and event.trans_id not in again().copies:
                    self.result.add(
                        ProblemKind.MISSING,
                        f"receipt copy of transaction {event.trans_id}",
                        f"{self.label(seq)} printed the copy of transaction {event.trans_id}, "
                        "but its receipt copy row is gone: deleted (a second copy could be "
                        "printed)",
                    )
            if event.code == "ZREPORT" and seq not in self.zs:
                self.result.add(
                    ProblemKind.Z_ANCHOR,
                    self.label(seq),
                    f"the Z report in {self.label(seq)} has no Z report row: the row was "
                    "deleted (the next Z report would count from an earlier one)",
                )
            self.previous_number = seq
            self.previous_chain = event.chain
        for trans_id in sorted(self.anchors.copies - copied):
            self.result.add(
                ProblemKind.ADDED,
                f"receipt copy of transaction {trans_id}",
                f"the receipt copy row of transaction {trans_id} has no COPYRECEIPT event in "
                f"register {self.register_id}'s journal: added outside OmniPOS",
            )
        self.finish(again)

    def _z(self, z: ZAnchor, event: StoredEvent) -> None:
        if event.chain != z.event_chain:
            self.z_problem(
                z,
                f"the journal up to {self.label(event.seq)} is not the one it recorded: "
                "events up to there were changed or replaced",
            )
        problem = _z_payload_problem(z, event)
        if problem:
            self.z_problem(z, problem)


def _z_payload_problem(z: ZAnchor, event: StoredEvent) -> str:
    """What in a Z report row does not agree with the report stored in its event."""
    where = f"its journal event {event.seq}"
    if event.code != "ZREPORT":
        return f"{where} is a {event.code} event, not a Z report"
    try:
        report = json.loads(event.payload)["report"]
        stored = (
            int(report["report_no"]),
            str(report["business_day"]),
            int(report["grand_totals"]["sales"]),
            int(report["grand_totals"]["returns"]),
        )
    except (ValueError, TypeError, KeyError):
        return f"{where} does not hold a readable Z report"
    indexed = (z.report_no, z.business_day, z.grand_sales, z.grand_returns)
    if stored != indexed:
        return (
            f"the Z report row (number, day, grand totals {indexed}) differs from the report "
            f"in {where} {stored}: the row was changed"
        )
    return ""


class _TransactionWalk(_Walk):
    noun = "transaction"
    plural = "transactions"

    def __init__(self, result: ChainCheck, anchors: ChainAnchors) -> None:
        super().__init__(result, anchors)
        self.zs: dict[int, list[ZAnchor]] = {}
        self.ids: dict[int, str] = {}
        for z in anchors.z_reports:
            if z.last_nr is not None:
                self.zs.setdefault(z.last_nr, []).append(z)

    def anchored_last(self, anchors: ChainAnchors) -> tuple[int, str]:
        return anchors.last_nr, anchors.transaction_chain

    def z_positions(self) -> dict[int, list[ZAnchor]]:
        return {nr: zs for nr, zs in self.zs.items() if nr > 0}

    def label(self, number: int) -> str:
        known = self.ids.get(number)
        if known:
            return f"transaction {known} (nr {number})"
        return f"transaction nr {number} of register {self.register_id}"

    def run(self, rows: Iterable[StoredTransaction], again: Callable[[], ChainAnchors]) -> None:
        wanted = {self.anchors.last_nr}
        last = self.anchors.last_nr
        for z in self.zs.get(0, ()):
            if z.transaction_chain != GENESIS:
                self.z_problem(z, "it recorded transactions where there are none")
        for tx in rows:
            self.result.transactions += 1
            nr = tx.nr
            self.ids[nr] = tx.trans_id
            if nr > self.previous_number + 1:
                self.gap(nr)
            else:
                self._check_rows(tx)
            self.numbered(nr, tx.chain, wanted, last)
            for z in self.zs.get(nr, ()):
                if tx.chain != z.transaction_chain:
                    self.z_problem(
                        z,
                        f"the transactions up to {self.label(nr)} are not the ones it "
                        "recorded: changed or replaced",
                    )
            self.previous_number = nr
            self.previous_chain = tx.chain
        self.finish(again)

    def _check_rows(self, tx: StoredTransaction) -> None:
        where = f"transaction {tx.trans_id}"
        changed = False
        for kind, rows in (("line", tx.lines), ("payment", tx.payments)):
            for row in rows:
                if digest(row.values) != row.row_hash:
                    changed = True
                    self.result.add(
                        ProblemKind.CHANGED,
                        f"{where} {kind} {row.number}",
                        f"{kind} {row.number} of {where} (nr {tx.nr}) was changed after it was "
                        "written: its stored fields do not give its hash",
                    )
        children = [row.row_hash for row in tx.lines] + [row.row_hash for row in tx.payments]
        if changed or link(self.previous_chain, tx.values, children) == tx.chain:
            return
        self.result.add(
            ProblemKind.CHANGED,
            where,
            f"{where} (nr {tx.nr}) was changed after it was written: its stored fields, or "
            "which lines and payments it has, do not give its chain value (or the chain "
            "value of the transaction before it was rewritten)",
        )
