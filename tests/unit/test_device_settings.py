"""``[devices.*]``: each kind takes exactly its driver's options, with the kind's defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.device_settings import (
    DEVICE_KINDS,
    KIND_OPTIONS,
    DeviceSettings,
    DevicesSettings,
    missing_required,
)
from omnipos_tui.settings import Settings, load_settings

CONFIG = Path(__file__).resolve().parents[2] / "config"
NOWHERE = Path("/nonexistent/omnipos/config.toml")


def load(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    path = tmp_path / "omnipos.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, environ=environ or {})


def test_default_toml_spells_out_exactly_the_built_in_device_defaults() -> None:
    from_file = load_settings(CONFIG / "default.toml", environ={})
    built_in = load_settings(None, environ={}, fallback_file=NOWHERE)

    assert from_file.devices == built_in.devices == DevicesSettings()


def test_default_devices_are_real_hardware_for_a_shop_box() -> None:
    devices = DevicesSettings()

    assert (devices.printer.kind, devices.printer.port) == ("escpos-serial", "/dev/ttyUSB0")
    assert devices.drawer.kind == "printer-kick"
    assert (devices.terminal.kind, devices.terminal.port) == ("concert", "/dev/ttyACM0")
    assert devices.scanner.kind == "evdev"
    assert devices.report_printer.kind == "none"


def test_simulated_toml_makes_every_device_simulated() -> None:
    devices = load_settings(CONFIG / "simulated.toml", environ={}).devices

    for role in ("printer", "drawer", "terminal", "scanner", "display"):
        assert getattr(devices, role).kind == "simulated", role
    assert devices.display.columns == 20


def test_every_kind_option_is_a_field_and_every_role_lists_every_kind() -> None:
    fields = {f.name for f in dataclasses.fields(DeviceSettings)}

    for role, kinds in DEVICE_KINDS.items():
        assert set(KIND_OPTIONS[role]) == set(kinds), role
        for kind, spec in KIND_OPTIONS[role].items():
            assert set(spec.options) <= fields, (role, kind)
            assert set(spec.defaults) <= set(spec.options), (role, kind)
            assert set(spec.required) <= set(spec.options), (role, kind)


def test_a_key_the_kind_does_not_take_names_the_key_file_line_and_the_kinds_options(
    tmp_path: Path,
) -> None:
    text = '[devices.printer]\nkind = "escpos-serial"\nport = "/dev/ttyUSB0"\nby_id = "x"\n'

    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)

    message = str(caught.value)
    assert f"{tmp_path / 'omnipos.toml'} line 4" in message
    assert "devices.printer.by_id is not an option of printer kind 'escpos-serial'" in message
    assert "port, baudrate" in message


def test_a_kind_without_options_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="takes: no options besides kind"):
        load(tmp_path, '[devices.terminal]\nkind = "manual"\nport = "/dev/ttyS0"\n')


def test_options_of_the_default_kind_do_not_leak_into_another_kind(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"devices\.printer\.port is not an option"):
        load(tmp_path, '[devices.printer]\nkind = "escpos-network"\nport = "/dev/ttyUSB0"\n')


def test_an_environment_variable_for_a_key_the_kind_lacks_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(
            tmp_path,
            '[devices.drawer]\nkind = "simulated"\n',
            {"OMNIPOS_DEVICES__DRAWER__PORT": "/dev/ttyS1"},
        )

    assert "environment variable OMNIPOS_DEVICES__DRAWER__PORT" in str(caught.value)
    assert "drawer kind 'simulated'" in str(caught.value)


def test_changing_the_kind_brings_that_kinds_defaults(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        '[devices.printer]\nkind = "escpos-usb"\n[devices.display]\nkind = "serial"\n'
        'port = "/dev/ttyS1"\n',
    )

    assert settings.devices.printer.port == "/dev/usb/lp0"
    assert settings.devices.printer.timeout_s == 5.0
    assert settings.devices.display.columns == 20
    assert settings.devices.display.timeout_s == 1.0


def test_the_kind_can_come_from_the_environment_with_its_options(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        "",
        {
            "OMNIPOS_DEVICES__PRINTER__KIND": "escpos-network",
            "OMNIPOS_DEVICES__PRINTER__HOST": "192.0.2.7",
        },
    )

    assert settings.devices.printer.kind == "escpos-network"
    assert settings.devices.printer.host == "192.0.2.7"
    assert settings.devices.printer.tcp_port == 9100


def test_drawer_command_bytes_must_be_hex(tmp_path: Path) -> None:
    text = '[devices.drawer]\nkind = "serial"\nport = "/dev/ttyS0"\nopen_command = "1B 7G"\n'

    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)

    assert "line 4" in str(caught.value)
    assert "devices.drawer.open_command must be hexadecimal bytes" in str(caught.value)


def test_hex_bytes_may_be_spaced_joined_or_comma_separated(tmp_path: Path) -> None:
    settings = load(
        tmp_path,
        '[devices.drawer]\nkind = "serial"\nport = "/dev/ttyS0"\nopen_command = "1b700019fa"\n'
        'status_command = "1D,72,02"\nopen_reply = "00"\nclosed_reply = "01"\n',
    )

    assert settings.devices.drawer.open_command == "1b700019fa"
    assert settings.devices.drawer.status_command == "1D,72,02"


def test_a_printer_width_must_be_a_paper_width_but_a_display_may_be_20(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"devices\.printer\.columns must be one of 32, 42, 48"):
        load(tmp_path, '[devices.printer]\nkind = "simulated"\ncolumns = 20\n')

    settings = load(tmp_path, '[devices.display]\nkind = "simulated"\ncolumns = 20\n')
    assert settings.devices.display.columns == 20


def test_a_display_may_use_cp850_but_a_printer_may_not(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'CP865', 'CP858' for printer kind 'simulated'"):
        load(tmp_path, '[devices.printer]\nkind = "simulated"\ncode_page = "CP850"\n')

    settings = load(tmp_path, '[devices.display]\nkind = "simulated"\ncode_page = "CP850"\n')
    assert settings.devices.display.code_page == "CP850"


def test_scan_terminators_are_checked_word_by_word(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"terminators must name keys from enter, kpenter, tab"):
        load(tmp_path, '[devices.scanner]\nkind = "evdev"\nterminators = "enter space"\n')


def test_the_terminal_currency_is_three_digits(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="three-digit ISO 4217"):
        load(tmp_path, '[devices.terminal]\nkind = "concert"\ncurrency = "NOK"\n')


def test_a_wrong_type_names_the_device_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"devices\.terminal\.pos_number must be a whole number"):
        load(tmp_path, '[devices.terminal]\nkind = "concert"\npos_number = "one"\n')


def test_an_unknown_kind_lists_the_roles_kinds(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'simulated', 'printer-kick', 'serial', 'none'"):
        load(tmp_path, '[devices.drawer]\nkind = "usb"\n')


def test_config_show_lists_only_the_options_of_each_devices_kind() -> None:
    settings = load_settings(CONFIG / "simulated.toml", environ={})
    keys = [key for key, _, _ in settings.effective() if key.startswith("devices.")]

    assert "devices.printer.output" in keys
    assert "devices.printer.port" not in keys
    assert "devices.drawer.has_sensor" in keys
    assert "devices.drawer.drawer_pin" not in keys
    assert [k for k in keys if k.startswith("devices.report_printer")] == [
        "devices.report_printer.kind"
    ]


def test_required_options_left_empty_are_reported_per_kind() -> None:
    assert missing_required("scanner", DevicesSettings().scanner) == ["by_id"]
    assert missing_required("scanner", DeviceSettings(kind="evdev", device_name="Scanner")) == []
    assert missing_required("printer", DeviceSettings(kind="escpos-network")) == ["host"]
    assert missing_required("drawer", DeviceSettings(kind="serial", open_command="")) == [
        "port",
        "open_command",
    ]
    assert missing_required("printer", DevicesSettings().printer) == []
