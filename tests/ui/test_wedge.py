"""Keyboard-wedge scans told from typing with synthetic key timestamps."""

from __future__ import annotations

from omnipos_tui.core.ports import Scan
from omnipos_tui.ui.wedge import TypedKey, WedgeDetector, WedgeOutput

MS = 0.001


def burst(
    detector: WedgeDetector, text: str, start: float, gap_ms: float, *, enter: bool = True
) -> tuple[list[WedgeOutput], float]:
    """Send ``text`` one key every ``gap_ms`` from ``start``; returns outputs and end time."""
    out: list[WedgeOutput] = []
    at = start
    for character in text:
        out.extend(detector.key(character, character, at))
        at += gap_ms * MS
    if enter:
        out.extend(detector.key("enter", "\r", at))
    return out, at


def typed(outputs: list[WedgeOutput]) -> str:
    return "".join(
        (o.character or "") if o.key != "enter" else "⏎" for o in outputs if isinstance(o, TypedKey)
    )


def scans(outputs: list[WedgeOutput]) -> list[str]:
    return [o.code for o in outputs if isinstance(o, Scan)]


def test_a_fast_burst_ending_in_enter_is_one_scan() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, end = burst(detector, "7040000000001", start=10.0, gap_ms=2)
    assert out == [Scan(code="7040000000001", at=end)]
    assert not detector.pending


def test_slow_typing_with_enter_stays_typing() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, end = burst(detector, "7040000000001", start=10.0, gap_ms=120)
    out.extend(detector.flush(end + 1))
    assert scans(out) == []
    assert typed(out) == "7040000000001⏎"


def test_a_short_fast_burst_is_typing_not_a_scan() -> None:
    detector = WedgeDetector(max_gap_ms=30, min_length=6)
    out, _ = burst(detector, "12345", start=1.0, gap_ms=2)
    assert scans(out) == []
    assert typed(out) == "12345⏎"


def test_typed_keys_are_held_until_the_gap_runs_out() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    assert detector.key("3", "3", 5.0) == []
    assert detector.key("4", "4", 5.0 + 5 * MS) == []
    assert detector.deadline() == 5.0 + 35 * MS
    assert detector.flush(5.0 + 10 * MS) == []
    assert typed(detector.flush(5.0 + 35 * MS)) == "34"
    assert detector.deadline() is None


def test_a_key_after_a_long_pause_releases_the_ones_before() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    detector.key("1", "1", 1.0)
    out = detector.key("2", "2", 1.5)
    assert typed(out) == "1"
    assert detector.pending


def test_a_scan_after_typing_is_taken_whole_and_the_typed_entry_kept() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out: list[WedgeOutput] = []
    at = 1.0
    for character in "3*":
        out.extend(detector.key(character, character, at))
        at += 0.2
    scan_out, end = burst(detector, "7040000000001", start=at, gap_ms=2)
    out.extend(scan_out)
    assert typed(out) == "3*"
    assert scans(out) == ["7040000000001"]
    assert isinstance(out[-1], Scan) and out[-1].at == end


def test_a_scan_whose_sender_stalled_after_the_first_digit_is_still_one_whole_scan() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out = detector.key("7", "7", 1.0)
    assert detector.deadline() == 1.0 + 150 * MS  # a lone key waits out a possible stall
    scan_out, _ = burst(detector, "040000000001", start=1.0 + 45 * MS, gap_ms=2)
    out.extend(scan_out)
    assert typed(out) == ""
    assert scans(out) == ["7040000000001"]


def test_a_stall_in_the_middle_of_a_scan_does_not_split_it() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, at = burst(detector, "704000", start=1.0, gap_ms=2, enter=False)
    more, _ = burst(detector, "0000001", start=at + 90 * MS, gap_ms=2)
    out.extend(more)
    assert typed(out) == ""
    assert scans(out) == ["7040000000001"]


def test_a_typed_3_then_a_scan_keeps_the_3_as_typing() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out = detector.key("3", "3", 1.0)
    # A person needs far longer than the stall grace to go from the keypad to the trigger.
    scan_out, _ = burst(detector, "7040000000001", start=1.0 + 400 * MS, gap_ms=2)
    out.extend(scan_out)
    assert typed(out) == "3"
    assert scans(out) == ["7040000000001"]
    assert isinstance(out[0], TypedKey) and out[0].at == 1.0


def test_a_lone_typed_key_is_released_once_the_stall_grace_has_run_out() -> None:
    detector = WedgeDetector(max_gap_ms=30, stall_grace_ms=150)
    detector.key("3", "3", 1.0)
    assert detector.flush(1.0 + 100 * MS) == []
    assert typed(detector.flush(1.0 + 150 * MS)) == "3"
    assert not detector.pending


def test_a_fast_numpad_typist_entering_a_plu_with_enter_is_typing_not_a_scan() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, _ = burst(detector, "1234567", start=1.0, gap_ms=80)
    assert scans(out) == []
    assert typed(out) == "1234567⏎"


def test_a_steady_slower_scanner_is_not_peeled() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, _ = burst(detector, "12345678", start=1.0, gap_ms=12)
    assert scans(out) == ["12345678"]


def test_back_to_back_scans_are_framed_by_enter_not_merged() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out: list[WedgeOutput] = []
    at = 1.0
    codes = [f"70400000{n:05d}" for n in range(50)]
    for code in codes:
        part, at = burst(detector, code, start=at, gap_ms=2)
        out.extend(part)
        at += 2 * MS
    assert scans(out) == codes
    assert typed(out) == ""


def test_function_keys_pass_at_once_and_release_held_keys_first() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    detector.key("5", "5", 1.0)
    detector.key("0", "0", 1.0 + 5 * MS)
    out = detector.key("f9", None, 1.0 + 10 * MS)
    assert [(o.key, o.character) for o in out if isinstance(o, TypedKey)] == [
        ("5", "5"),
        ("0", "0"),
        ("f9", None),
    ]


def test_enter_alone_is_typed_at_once() -> None:
    detector = WedgeDetector()
    assert detector.key("enter", "\r", 1.0) == [TypedKey("enter", "\r", 1.0)]


def test_with_a_prefix_the_scan_starts_exactly_at_the_prefix() -> None:
    detector = WedgeDetector(max_gap_ms=30, prefix="]")
    out = detector.key("4", "4", 1.0)
    scan_out, _ = burst(detector, "]E07040000000001", start=1.0 + 3 * MS, gap_ms=2)
    out.extend(scan_out)
    assert typed(out) == "4"
    assert scans(out) == ["E07040000000001"]


def test_with_a_prefix_a_burst_without_it_is_typing() -> None:
    detector = WedgeDetector(max_gap_ms=30, prefix="]")
    out, _ = burst(detector, "7040000000001", start=1.0, gap_ms=2)
    assert scans(out) == []
    assert typed(out) == "7040000000001⏎"


def test_a_held_down_key_repeating_forever_is_not_a_scan() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out, end = burst(detector, "1" * 100, start=1.0, gap_ms=2, enter=False)
    out.extend(detector.flush(end + 1))
    assert scans(out) == []
    assert typed(out) == "1" * 100


def test_a_thousand_scans_at_two_ms_per_character_are_none_lost_none_merged() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out: list[WedgeOutput] = []
    at = 0.0
    codes = [f"{7040000000000 + n:013d}" for n in range(1000)]
    for code in codes:
        part, at = burst(detector, code, start=at, gap_ms=2)
        out.extend(part)
        at += 2 * MS
    assert scans(out) == codes


def test_a_thousand_scans_with_a_stall_after_every_seventh_first_digit_are_all_whole() -> None:
    detector = WedgeDetector(max_gap_ms=30)
    out: list[WedgeOutput] = []
    at = 0.0
    codes = [f"{7040000000000 + n:013d}" for n in range(1000)]
    for n, code in enumerate(codes):
        out.extend(detector.key(code[0], code[0], at))
        at += (60 if n % 7 == 0 else 2) * MS
        part, at = burst(detector, code[1:], start=at, gap_ms=2)
        out.extend(part)
        at += 2 * MS
    assert typed(out) == ""
    assert scans(out) == codes
