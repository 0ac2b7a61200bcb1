"""The pure scan decoder fed with synthetic evdev.InputEvent streams."""

from __future__ import annotations

import pytest
from evdev import InputEvent, ecodes
from fake_input import Clock, key, typed

from drivers.scanner import ScanDecoder
from drivers.scanner import keymaps as km
from omnipos_tui.core.errors import ConfigError


def decode_all(decoder: ScanDecoder, events: list[InputEvent]) -> list[str]:
    return [code for event in events if (code := decoder.feed(event)) is not None]


def test_our_key_codes_are_the_kernels() -> None:
    for name in (
        "KEY_1",
        "KEY_0",
        "KEY_MINUS",
        "KEY_EQUAL",
        "KEY_TAB",
        "KEY_Q",
        "KEY_E",
        "KEY_LEFTBRACE",
        "KEY_RIGHTBRACE",
        "KEY_ENTER",
        "KEY_A",
        "KEY_SEMICOLON",
        "KEY_APOSTROPHE",
        "KEY_GRAVE",
        "KEY_LEFTSHIFT",
        "KEY_BACKSLASH",
        "KEY_Z",
        "KEY_COMMA",
        "KEY_DOT",
        "KEY_SLASH",
        "KEY_RIGHTSHIFT",
        "KEY_KPASTERISK",
        "KEY_SPACE",
        "KEY_KP7",
        "KEY_KPMINUS",
        "KEY_KPPLUS",
        "KEY_KP0",
        "KEY_KPDOT",
        "KEY_102ND",
        "KEY_KPENTER",
        "KEY_KPSLASH",
        "KEY_RIGHTALT",
    ):
        assert getattr(km, name) == ecodes.ecodes[name], name
    assert (km.EV_KEY, km.EV_SYN, km.EV_MSC) == (ecodes.EV_KEY, ecodes.EV_SYN, ecodes.EV_MSC)


def test_an_ean13_followed_by_enter_is_one_code() -> None:
    assert decode_all(ScanDecoder(), typed("7038010009457")) == ["7038010009457"]


def test_back_to_back_scans_are_neither_lost_nor_merged() -> None:
    clock = Clock()
    events = typed("7038010009457", clock=clock) + typed("5901234123457", clock=clock)
    events += typed("96385074", clock=clock)

    assert decode_all(ScanDecoder(), events) == ["7038010009457", "5901234123457", "96385074"]


def test_shifted_characters_come_out_upper_case_and_symbols() -> None:
    assert decode_all(ScanDecoder(), typed("Ab-C12!x")) == ["Ab-C12!x"]


def test_norwegian_layout_reads_norwegian_letters_and_symbols() -> None:
    decoder = ScanDecoder(layout="no")

    assert decode_all(decoder, typed("ØlÆåx-1/2+", layout="no")) == ["ØlÆåx-1/2+"]


def test_the_same_keys_mean_different_things_in_us_and_norwegian_layout() -> None:
    events = typed("ø", layout="no")

    assert decode_all(ScanDecoder(layout="us"), events) == [";"]


def test_altgr_gives_the_norwegian_at_sign() -> None:
    clock = Clock()
    events = key(clock, ecodes.KEY_RIGHTALT, 1) + key(clock, ecodes.KEY_2, 1)
    events += key(clock, ecodes.KEY_2, 0) + key(clock, ecodes.KEY_RIGHTALT, 0)
    events += typed("a", clock=clock, layout="no")

    assert decode_all(ScanDecoder(layout="no"), events) == ["@a"]


def test_auto_repeat_and_key_up_type_nothing() -> None:
    assert decode_all(ScanDecoder(), typed("1234", repeat=True)) == ["1234"]


@pytest.mark.parametrize("terminator", ["KEY_ENTER", "KEY_KPENTER", "KEY_TAB"])
def test_enter_keypad_enter_and_tab_all_end_a_code(terminator: str) -> None:
    assert decode_all(ScanDecoder(), typed("123", terminator=terminator)) == ["123"]


def test_only_the_configured_terminators_end_a_code() -> None:
    decoder = ScanDecoder(terminators=("kpenter",))
    clock = Clock()
    events = typed("12", terminator="KEY_ENTER", clock=clock)
    events += typed("34", terminator="KEY_KPENTER", clock=clock)

    assert decode_all(decoder, events) == ["1234"]


def test_keypad_digits_are_digits() -> None:
    clock = Clock()
    events: list[InputEvent] = []
    for name in ("KEY_KP7", "KEY_KP0", "KEY_KP3"):
        events += key(clock, ecodes.ecodes[name], 1) + key(clock, ecodes.ecodes[name], 0)
    events += key(clock, ecodes.KEY_KPENTER, 1)

    assert decode_all(ScanDecoder(), events) == ["703"]


def test_a_half_scan_that_pauses_too_long_is_dropped() -> None:
    clock = Clock()
    half = typed("70380", terminator=None, clock=clock)
    clock.tick(2.0)
    whole = typed("5901234123457", clock=clock)
    decoder = ScanDecoder(partial_timeout=0.5)

    assert decode_all(decoder, half + whole) == ["5901234123457"]
    assert decoder.dropped == 1


def test_prefix_and_suffix_are_stripped_when_present() -> None:
    decoder = ScanDecoder(prefix="]E0", suffix="X")

    assert decode_all(decoder, typed("]E07038010009457X")) == ["7038010009457"]
    assert decode_all(decoder, typed("123")) == ["123"]


def test_a_lone_terminator_is_no_scan() -> None:
    clock = Clock()
    events = key(clock, ecodes.KEY_ENTER, 1) + key(clock, ecodes.KEY_ENTER, 0)

    assert decode_all(ScanDecoder(), events) == []


@pytest.mark.parametrize(
    "kwargs", [{"layout": "fr"}, {"terminators": ("space",)}, {"terminators": ()}]
)
def test_bad_scanner_settings_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        ScanDecoder(**kwargs)  # type: ignore[arg-type]
