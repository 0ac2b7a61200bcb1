"""A PosError is data (a code and parameters, or a driver's free-text detail); the texts in
``omnipos_tui.messages`` word it in bokmål for the till and in English for the CLI."""

from __future__ import annotations

import pickle

import pytest

from omnipos_tui.core.errors import (
    ApprovalRequired,
    ConfigError,
    DatabaseUnavailable,
    DeviceError,
    DrawerError,
    EmployeeLocked,
    IntegrityFailure,
    Message,
    NotFound,
    PosError,
    PrinterOffline,
    RuleViolation,
    SigningKeyError,
    StorageError,
    UnknownCode,
    bare,
)
from omnipos_tui.messages import lead, render
from omnipos_tui.messages.catalogue import LEADS


def test_render_picks_the_bokmal_text_for_nb_and_the_english_text_otherwise() -> None:
    error = RuleViolation(code="sale.nothing_rung_up")
    assert render(error, "nb") == "Ingenting er slått inn."
    assert render(error, "en") == "nothing was rung up"


def test_str_is_the_english_text_for_the_cli_and_the_logs() -> None:
    error = NotFound(code="receipt.unknown", receipt="1-9")
    assert str(error) == "no receipt 1-9"
    assert (error.code, dict(error.params)) == ("receipt.unknown", {"receipt": "1-9"})


def test_a_code_without_a_text_shows_the_code_and_its_parameters_in_both_languages() -> None:
    error = RuleViolation(code="rule.with_no_text_yet", line=3)
    assert render(error, "nb") == render(error, "en") == "rule.with_no_text_yet (line=3)"
    assert str(error) == bare("rule.with_no_text_yet", {"line": 3})


def test_a_device_failure_is_named_in_bokmal_before_its_technical_detail() -> None:
    error = PrinterOffline("printer at /dev/usb/lp0 does not answer")
    assert error.code is None
    assert render(error, "nb") == (
        "Kvitteringsskriveren svarer ikke: printer at /dev/usb/lp0 does not answer"
    )
    assert render(error, "en") == str(error) == "printer at /dev/usb/lp0 does not answer"
    assert render(DrawerError(), "nb") == "Feil på kasseskuffen"
    assert render(DatabaseUnavailable("server gone"), "nb") == "Databasen svarer ikke: server gone"


def _subclasses(cls: type[PosError]) -> list[type[PosError]]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def test_every_device_configuration_and_storage_failure_has_a_lead_in_both_languages() -> None:
    families = (DeviceError, ConfigError, StorageError, SigningKeyError, IntegrityFailure)
    classes = [c for f in families for c in _subclasses(f)]
    assert [c.__name__ for c in classes if not (lead(c, "nb") and lead(c, "en"))] == []
    assert all(name in {c.__name__ for c in classes} for name in LEADS), "a lead of no class"


def test_an_error_made_without_arguments_still_works() -> None:
    error = PosError()
    assert str(error) == ""
    assert render(error, "nb") == ""


def test_an_error_has_a_code_or_a_detail_never_both_and_parameters_only_with_a_code() -> None:
    with pytest.raises(TypeError):
        PosError("disk full", code="storage.full")
    with pytest.raises(TypeError):
        PosError("disk full", path="/var")


def test_approval_required_says_krever_godkjenning_with_the_action_in_the_language() -> None:
    action = Message("action.return_without_receipt", product="Melk")
    needed = ApprovalRequired(action)
    assert str(needed) == "requires approval: return of Melk without receipt"
    assert render(needed, "nb") == "Krever godkjenning: Retur uten kvittering: Melk"
    assert needed.action == action
    assert render(needed.action, "nb") == "Retur uten kvittering: Melk"
    assert render(needed.action, "en") == "return of Melk without receipt"


def test_employee_locked_gives_the_minutes_left_rounded_up_in_bokmal() -> None:
    locked = EmployeeLocked(241)
    assert str(locked) == "employee locked for 241 more seconds after 5 wrong PINs"
    assert render(locked, "nb").startswith("Låst i 5 min etter 5 feil PIN")
    assert locked.seconds_left == 241
    assert render(EmployeeLocked(3), "nb").startswith("Låst i 1 min ")


def test_a_refusal_caught_as_its_base_class_keeps_its_bokmal_text() -> None:
    try:
        raise RuleViolation(code="sale.already_paid")
    except PosError as error:
        assert render(error, "nb") == "Salget er allerede betalt."


def test_a_copied_error_keeps_its_code_parameters_and_texts() -> None:
    copy = pickle.loads(pickle.dumps(NotFound(code="receipt.unknown", receipt="1-9")))
    assert (str(copy), render(copy, "nb")) == ("no receipt 1-9", "Fant ikke kvittering 1-9.")
    assert type(copy) is NotFound
    assert copy.code == "receipt.unknown"


def test_copied_errors_with_their_own_arguments_come_back_the_same() -> None:
    locked = pickle.loads(pickle.dumps(EmployeeLocked(90)))
    assert (locked.seconds_left, str(locked)) == (90, str(EmployeeLocked(90)))
    needed = pickle.loads(pickle.dumps(ApprovalRequired(Message("action.void_sale", sale="1-7"))))
    assert (str(needed), render(needed, "nb")) == (
        "requires approval: void sale 1-7",
        "Krever godkjenning: Annullere salg 1-7",
    )
    detail = pickle.loads(pickle.dumps(PrinterOffline("gone")))
    assert (type(detail), str(detail), detail.code) == (PrinterOffline, "gone", None)


def test_an_unknown_code_names_the_code_in_both_languages_and_is_a_not_found() -> None:
    error = UnknownCode("7040000000001")
    assert isinstance(error, NotFound)
    assert error.barcode == "7040000000001"
    assert str(error) == "unknown barcode 7040000000001"
    assert render(error, "nb", lambda command: {"search": "F2"}[command]) == (
        "Ukjent strekkode 7040000000001. Trykk F2 for å søke."
    )
    assert pickle.loads(pickle.dumps(error)).barcode == "7040000000001"


def test_a_message_is_data_that_compares_by_code_and_parameters() -> None:
    assert Message("action.void_sale", sale="1-7") == Message("action.void_sale", sale="1-7")
    assert Message("action.void_sale", sale="1-7") != Message("action.void_sale", sale="1-8")
    assert pickle.loads(pickle.dumps(Message("x.y", n=1))) == Message("x.y", n=1)
    assert repr(Message("x.y", n=1)) == "Message('x.y (n=1)')"
