"""The signed message, HMAC-SHA1 signing and the chain check."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omnipos_tui.core.clock import business_day, local_date_text, local_time_text
from omnipos_tui.core.errors import InvalidInput
from omnipos_tui.core.ledger.signature import (
    BreakReason,
    HmacSigner,
    Signer,
    Verifier,
    signature_message,
    verify_chain,
)
from omnipos_tui.core.ledger.transaction import Transaction, TransactionKind
from omnipos_tui.core.money import Money

OFFICIAL_KEY = b"SkatteetatenSign"


def test_hmac_reproduces_skatteetatens_official_test_vector() -> None:
    message = signature_message(None, "2016-11-24", "10:39:00", 2, Money(100), Money(96))
    assert message == "0;2016-11-24;10:39:00;2;1.00;0.96"
    signer = HmacSigner(base64.b64decode("U2thdHRlZXRhdGVuU2lnbg=="), "1")
    assert signer.sign(message) == "iHh68DWCU3G42eL/7vOGUMSkvMM="
    assert signer.verify(message, "iHh68DWCU3G42eL/7vOGUMSkvMM=")


def test_message_matches_the_validators_example() -> None:
    message = signature_message(
        "0", "2014-01-24", "23:59:59", "123456789", Money(125000), Money(100000)
    )
    assert message == "0;2014-01-24;23:59:59;123456789;1250.00;1000.00"


def test_message_writes_negative_amounts_with_a_leading_minus_and_no_thousands_separator() -> None:
    message = signature_message(
        "abc+/=", "2020-01-01", "10:41:30", 1003, Money(-1640), Money(-1426)
    )
    assert message == "abc+/=;2020-01-01;10:41:30;1003;-16.40;-14.26"
    big = signature_message("", "2020-01-01", "10:41:30", 1, Money(123456789), Money(5))
    assert big == "0;2020-01-01;10:41:30;1;1234567.89;0.05"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("a;b", "2020-01-01", "10:00:00", 1), "contains ';'"),
        (("a b", "2020-01-01", "10:00:00", 1), "white space"),
        (("0", "2020-1-01", "10:00:00", 1), "not YYYY-MM-DD"),
        (("0", "2020-13-01", "10:00:00", 1), "not YYYY-MM-DD"),
        (("0", "2020-01-01", "24:00:00", 1), "not HH:MM:SS"),
        (("0", "2020-01-01", "10:00", 1), "not HH:MM:SS"),
        (("0", "2020-01-01", "10:00:00", "1;2"), "not 1-35 letters"),
        (("0", "2020-01-01", "10:00:00", "x" * 36), "not 1-35 letters"),
    ],
)
def test_message_refuses_fields_that_would_make_it_ambiguous(
    args: tuple[str, str, str, int | str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        signature_message(*args, Money(100), Money(80))


def test_hmac_signature_is_28_characters_without_line_breaks() -> None:
    signature = HmacSigner(OFFICIAL_KEY, "1").sign("x" * 5000)
    assert len(signature) == 28
    assert "\n" not in signature


def test_hmac_verification_fails_for_another_message_key_or_garbage() -> None:
    signer = HmacSigner(OFFICIAL_KEY, "1")
    signature = signer.sign("0;2016-11-24;10:39:00;2;1.00;0.96")
    assert not signer.verify("0;2016-11-24;10:39:00;2;1.00;0.97", signature)
    assert not HmacSigner(b"0123456789abcdef", "1").verify(
        "0;2016-11-24;10:39:00;2;1.00;0.96", signature
    )
    assert not signer.verify("x", "not base64!")
    assert not signer.verify("x", "")


def test_hmac_key_must_be_128_bits() -> None:
    with pytest.raises(InvalidInput, match="16 bytes, got 15"):
        HmacSigner(b"x" * 15, "1")


def test_hmac_signer_never_shows_its_secret() -> None:
    assert "Skatte" not in repr(HmacSigner(OFFICIAL_KEY, "3"))


def test_hmac_signer_is_a_signer_and_a_verifier() -> None:
    signer: Signer = HmacSigner(OFFICIAL_KEY, "1")
    verifier: Verifier = signer
    assert verifier.algorithm == "HMAC-SHA1-128"
    assert verifier.key_version == "1"


@given(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12))
def test_message_amounts_always_match_the_validators_pattern(a: int, b: int) -> None:
    fields = signature_message(None, "2020-01-01", "00:00:00", 1, Money(a), Money(b)).split(";")
    assert len(fields) == 6
    for text in fields[4:]:
        whole, _, cents = text.lstrip("-").partition(".")
        assert whole.isdigit() and len(cents) == 2 and cents.isdigit()


# --- the chain --------------------------------------------------------------------------


START = datetime(2026, 3, 28, 23, 58, tzinfo=UTC)  # the chain crosses the DST change


def _chain(signers: dict[int, Signer], count: int, register: str = "1") -> list[Transaction]:
    """``count`` signed transactions; ``signers`` maps the first nr of a key to its signer."""
    out: list[Transaction] = []
    previous = "0"
    signer = signers[1]
    for nr in range(1, count + 1):
        signer = signers.get(nr, signer)
        at = START + timedelta(minutes=nr * 7)
        total = Money(1000 * nr - 1)
        ex = Money(800 * nr)
        day, time = local_date_text(at), local_time_text(at)
        signature = signer.sign(signature_message(previous, day, time, nr, total, ex))
        out.append(
            Transaction(
                register_id=register,
                nr=nr,
                trans_id=f"{register}-{nr}",
                kind=TransactionKind.SALE,
                employee="1001",
                started_at=at,
                completed_at=at,
                trans_date=day,
                trans_time=time,
                business_day=business_day(at),
                total=total,
                total_ex_vat=ex,
                receipt_series="sale",
                receipt_number=nr,
                signature=signature,
                key_version=signer.key_version,
                previous_signature=previous,
            )
        )
        previous = signature
    return out


KEY1 = HmacSigner(b"k" * 16, "1")
KEY2 = HmacSigner(b"q" * 16, "2")
KEYS: dict[str, Verifier] = {"1": KEY1, "2": KEY2}


def test_an_untouched_chain_verifies_including_across_a_key_rotation() -> None:
    chain = _chain({1: KEY1, 4: KEY2}, 8)
    assert {t.key_version for t in chain} == {"1", "2"}
    result = verify_chain("1", chain, KEYS.get)
    assert result.ok
    assert (result.checked, result.last_nr, result.last_signature) == (8, 8, chain[-1].signature)


def test_the_first_transaction_links_to_zero() -> None:
    assert _chain({1: KEY1}, 1)[0].previous_signature == "0"


def test_an_empty_register_verifies() -> None:
    result = verify_chain("1", [], KEYS.get)
    assert result.ok and result.checked == 0 and result.last_signature == "0"


def test_a_changed_amount_is_found_at_that_transaction() -> None:
    chain = _chain({1: KEY1}, 6)
    chain[3] = dataclasses.replace(chain[3], total=chain[3].total + Money(100))
    result = verify_chain("1", chain, KEYS.get)
    assert result.broken is not None
    assert (result.broken.trans_id, result.broken.reason) == ("1-4", BreakReason.BAD_SIGNATURE)
    assert result.checked == 3 and result.last_nr == 3


def test_a_changed_time_is_found() -> None:
    chain = _chain({1: KEY1}, 3)
    chain[1] = dataclasses.replace(chain[1], trans_time="12:00:00")
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.nr == 2 and broken.reason is BreakReason.BAD_SIGNATURE


def test_a_removed_transaction_is_a_gap() -> None:
    chain = _chain({1: KEY1}, 5)
    del chain[2]
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None
    assert broken.reason is BreakReason.NUMBER_GAP and broken.nr == 4
    assert "number 3 is missing" in broken.detail


def test_a_reused_number_is_found() -> None:
    chain = _chain({1: KEY1}, 4)
    chain.insert(2, chain[1])
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.NUMBER_REUSED and broken.nr == 2


def test_a_transaction_resigned_over_a_forged_previous_link_is_found() -> None:
    chain = _chain({1: KEY1}, 4)
    forged = dataclasses.replace(chain[2], previous_signature="Zm9yZ2Vk")
    chain[2] = forged
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.WRONG_PREVIOUS
    assert broken.trans_id == "1-3"


def test_a_signature_made_with_another_key_than_the_stored_version_fails() -> None:
    chain = _chain({1: KEY1}, 3)
    chain[1] = dataclasses.replace(chain[1], key_version="2")
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.BAD_SIGNATURE and broken.nr == 2


def test_an_unknown_key_version_is_named() -> None:
    chain = _chain({1: KEY1}, 2)
    chain[1] = dataclasses.replace(chain[1], key_version="9")
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.UNKNOWN_KEY
    assert "'9'" in broken.detail


def test_a_transaction_of_another_register_is_refused() -> None:
    chain = _chain({1: KEY1}, 2) + _chain({1: KEY1}, 3, register="2")[2:]
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.WRONG_REGISTER


def test_a_malformed_stored_date_is_a_break_not_a_crash() -> None:
    chain = _chain({1: KEY1}, 2)
    chain[0] = dataclasses.replace(chain[0], trans_date="28.03.2026")
    broken = verify_chain("1", chain, KEYS.get).broken
    assert broken is not None and broken.reason is BreakReason.BAD_SIGNATURE
    assert "not YYYY-MM-DD" in broken.detail


def test_checking_can_resume_after_a_verified_transaction() -> None:
    chain = _chain({1: KEY1}, 6)
    first = verify_chain("1", chain[:4], KEYS.get)
    rest = verify_chain(
        "1", chain[4:], KEYS.get, after_nr=first.last_nr, after_signature=first.last_signature
    )
    assert rest.ok and rest.checked == 2 and rest.last_nr == 6


def test_the_extra_check_reports_an_inconsistent_record() -> None:
    chain = _chain({1: KEY1}, 3)
    result = verify_chain(
        "1", chain, KEYS.get, check=lambda t: "lines do not add up" if t.nr == 2 else None
    )
    assert result.broken is not None
    assert result.broken.reason is BreakReason.INCONSISTENT
    assert result.broken.detail == "transaction 1-2: lines do not add up"


def test_records_are_streamed_once_and_each_key_is_looked_up_once() -> None:
    chain = _chain({1: KEY1, 3: KEY2}, 5)
    asked: list[str] = []

    def lookup(version: str) -> Verifier | None:
        asked.append(version)
        return KEYS.get(version)

    def stream() -> Iterator[Transaction]:
        yield from chain

    assert verify_chain("1", stream(), lookup).ok
    assert asked == ["1", "2"]


def test_the_chain_dates_cross_the_spring_dst_change_as_signed() -> None:
    chain = _chain({1: KEY1}, 10)
    assert chain[0].business_day == date(2026, 3, 29)
    hours = [t.trans_time[:2] for t in chain]
    assert hours[0] == "01" and hours[-1] == "03" and "02" not in hours  # 02:xx never exists
    assert verify_chain("1", chain, KEYS.get).ok
