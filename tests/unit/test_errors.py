"""PosError carries an English message and, for the till, a bokmål text."""

from __future__ import annotations

import pickle

from omnipos_tui.core.errors import (
    ApprovalRequired,
    ConfigError,
    DatabaseUnavailable,
    DeviceError,
    DrawerError,
    EmployeeLocked,
    IntegrityFailure,
    NotFound,
    PosError,
    PrinterOffline,
    RuleViolation,
    SigningKeyError,
    StorageError,
    UnknownCode,
)


def test_text_picks_the_bokmal_text_for_nb_and_the_english_message_otherwise() -> None:
    error = RuleViolation("nothing was rung up", nb="Ingenting er slått inn.")
    assert error.text("nb") == "Ingenting er slått inn."
    assert error.text("en") == "nothing was rung up"


def test_str_stays_english_for_the_cli_and_the_logs() -> None:
    error = NotFound("unknown barcode 123", nb="Ukjent strekkode 123.")
    assert str(error) == "unknown barcode 123"
    assert error.args == ("unknown barcode 123",)


def test_an_error_without_a_bokmal_text_shows_its_english_message_in_both_languages() -> None:
    error = RuleViolation("a rule with no translation yet")
    assert error.nb is None
    assert error.text("nb") == error.text("en") == "a rule with no translation yet"


def test_a_device_failure_is_named_in_bokmal_before_its_technical_detail() -> None:
    error = PrinterOffline("printer at /dev/usb/lp0 does not answer")
    assert error.nb is None
    assert error.text("nb") == (
        "Kvitteringsskriveren svarer ikke: printer at /dev/usb/lp0 does not answer"
    )
    assert error.text("en") == str(error) == "printer at /dev/usb/lp0 does not answer"
    assert DrawerError().text("nb") == "Feil på kasseskuffen"
    assert DatabaseUnavailable("server gone").text("nb") == "Databasen svarer ikke: server gone"


def _subclasses(cls: type[PosError]) -> list[type[PosError]]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _subclasses(direct))]


def test_every_device_configuration_and_storage_failure_has_a_bokmal_lead() -> None:
    families = (DeviceError, ConfigError, StorageError, SigningKeyError, IntegrityFailure)
    missing = [c.__name__ for f in families for c in _subclasses(f) if not c.NB_LEAD]
    assert missing == []


def test_an_empty_bokmal_text_falls_back_to_the_english_message() -> None:
    assert PosError("disk full", nb="").text("nb") == "disk full"


def test_an_error_made_without_arguments_still_works() -> None:
    error = PosError()
    assert str(error) == ""
    assert error.text("nb") == ""


def test_approval_required_says_krever_godkjenning_with_the_norwegian_action() -> None:
    needed = ApprovalRequired("return of Melk without receipt", nb="Retur uten kvittering: Melk")
    assert str(needed) == "requires approval: return of Melk without receipt"
    assert needed.text("nb") == "Krever godkjenning: Retur uten kvittering: Melk"
    assert needed.action == "return of Melk without receipt"
    assert needed.action_text("nb") == "Retur uten kvittering: Melk"
    assert needed.action_text("en") == "return of Melk without receipt"


def test_approval_required_without_a_norwegian_action_uses_the_action_it_was_given() -> None:
    needed = ApprovalRequired("Annullere salg 1-7")
    assert needed.text("nb") == "Krever godkjenning: Annullere salg 1-7"
    assert needed.action_text("nb") == "Annullere salg 1-7"


def test_employee_locked_gives_the_minutes_left_rounded_up_in_bokmal() -> None:
    locked = EmployeeLocked(241)
    assert str(locked) == "employee locked for 241 more seconds after 5 wrong PINs"
    assert locked.text("nb").startswith("Låst i 5 min etter 5 feil PIN")
    assert locked.seconds_left == 241
    assert EmployeeLocked(3).text("nb").startswith("Låst i 1 min ")


def test_a_refusal_caught_as_its_base_class_keeps_its_bokmal_text() -> None:
    try:
        raise RuleViolation("the sale is already paid", nb="Salget er allerede betalt.")
    except PosError as error:
        assert error.text("nb") == "Salget er allerede betalt."


def test_a_copied_error_keeps_both_texts() -> None:
    copy = pickle.loads(pickle.dumps(NotFound("no receipt 1-9", nb="Fant ikke kvittering 1-9.")))
    assert (str(copy), copy.text("nb")) == ("no receipt 1-9", "Fant ikke kvittering 1-9.")


def test_copied_errors_with_their_own_arguments_come_back_the_same() -> None:
    locked = pickle.loads(pickle.dumps(EmployeeLocked(90)))
    assert (locked.seconds_left, str(locked)) == (90, str(EmployeeLocked(90)))
    needed = pickle.loads(pickle.dumps(ApprovalRequired("void", nb="Annullere")))
    assert (str(needed), needed.text("nb")) == (
        "requires approval: void",
        "Krever godkjenning: Annullere",
    )


def test_an_unknown_code_names_the_code_in_both_languages_and_is_a_not_found() -> None:
    error = UnknownCode("7040000000001")
    assert isinstance(error, NotFound)
    assert error.code == "7040000000001"
    assert str(error) == "unknown barcode 7040000000001"
    assert error.text("nb") == "Ukjent strekkode 7040000000001. Trykk F2 for å søke."
    assert pickle.loads(pickle.dumps(error)).code == "7040000000001"
