"""Settings: TOML file, OMNIPOS_* environment and command-line options into frozen
dataclasses; precedence, value sources, and errors that name the key, the file and the line.
(Device sections: test_device_settings.py.)"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.settings import Override, Settings, load_settings

CONFIG = Path(__file__).resolve().parents[2] / "config"
NOWHERE = Path("/nonexistent/omnipos/config.toml")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "omnipos.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_toml_holds_exactly_the_built_in_defaults() -> None:
    from_file = load_settings(CONFIG / "default.toml", environ={})
    built_in = load_settings(None, environ={}, fallback_file=NOWHERE)
    stripped = dataclasses.replace(from_file, sources=built_in.sources, config_file=None)
    assert stripped == built_in == Settings()


def test_without_any_file_every_value_is_a_default() -> None:
    settings = load_settings(None, environ={}, fallback_file=NOWHERE)
    assert settings.config_file is None
    assert {source for _, _, source in settings.effective()} == {"default"}


def test_the_file_is_frozen() -> None:
    settings = load_settings(None, environ={}, fallback_file=NOWHERE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.shop.register_id = "2"  # type: ignore[misc]


def test_an_option_beats_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "postgresql://file/db"\n[till]\nkeymap = "file"\n')
    environ = {
        "OMNIPOS_DB_URL": "postgresql://env/db",
        "OMNIPOS_TILL__KEYMAP": "env",
        "OMNIPOS_DATA_DIR": "/srv/omnipos",
    }
    option = Override("database.url", "postgresql://option/db", "--db-url")
    settings = load_settings(path, overrides=(option,), environ=environ)
    assert settings.database.url == "postgresql://option/db"
    assert settings.till.keymap == "env"
    assert settings.paths.data_dir == "/srv/omnipos"
    sources = {key: source for key, _, source in settings.effective()}
    assert sources["database.url"] == "option:--db-url"
    assert sources["till.keymap"] == "env:OMNIPOS_TILL__KEYMAP"
    assert sources["paths.data_dir"] == "env:OMNIPOS_DATA_DIR"
    assert sources["shop.language"] == "default"


def test_omnipos_config_picks_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[shop]\nregister_id = "3"\nlanguage = "en"\n')
    settings = load_settings(None, environ={"OMNIPOS_CONFIG": str(path)})
    assert (settings.shop.register_id, settings.shop.language) == ("3", "en")
    assert settings.config_file == path
    assert dict((k, s) for k, _, s in settings.effective())["shop.language"] == f"file:{path}"


def test_the_fallback_file_is_read_only_when_it_exists(tmp_path: Path) -> None:
    path = write(tmp_path, "[till]\nwedge_max_gap_ms = 45\n")
    assert load_settings(None, environ={}, fallback_file=path).till.wedge_max_gap_ms == 45


def test_an_unknown_key_names_the_key_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[shop]\nregister_id = "1"\nregister = "2"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})
    assert str(error.value).startswith(f"{path} line 3: unknown key 'register' in [shop]")
    assert "register_id" in str(error.value)


def test_an_unknown_section_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "[shop]\n\n[printer]\nport = 1\n")
    with pytest.raises(ConfigError, match=r"line 3: unknown key 'printer' in the top level"):
        load_settings(path, environ={})


def test_an_unknown_section_lists_the_known_sections_by_their_whole_names(tmp_path: Path) -> None:
    path = write(tmp_path, "[printer]\nport = 1\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})
    known = str(error.value).split("(known: ")[1].rstrip(")").split(", ")
    assert {"database", "paths", "shop", "till"} <= set(known)


def test_a_wrong_type_names_the_key_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[till]\nkeymap = "default"\nmerge_identical_scans = "yes"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path, environ={})
    assert str(error.value) == (
        f"{path} line 3: till.merge_identical_scans must be true or false, got str 'yes'"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[shop]\nlanguage = "de"\n', "shop.language must be one of 'nb', 'en'"),
        ('[signing]\nalgorithm = "md5"\n', "signing.algorithm must be one of"),
        ("[till]\ndiscount_limit_percent = 120\n", "at most 100"),
        ("[till]\nwedge_max_gap_ms = 0\n", "at least 1"),
        ("[till]\npost_sale_debounce_ms = 1.5\n", "must be a whole number"),
    ],
)
def test_values_outside_their_choices_or_limits_are_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path, text), environ={})


def test_a_toml_syntax_error_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[shop]\nregister_id = \n")
    with pytest.raises(ConfigError, match=rf"{path}: not valid TOML: .*line 2"):
        load_settings(path, environ={})


def test_a_named_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_environment_values_are_converted_to_the_keys_type() -> None:
    environ = {
        "OMNIPOS_TILL__MERGE_IDENTICAL_SCANS": "yes",
        "OMNIPOS_TILL__DISCOUNT_LIMIT_PERCENT": "25",
    }
    settings = load_settings(None, environ=environ, fallback_file=NOWHERE)
    assert settings.till.merge_identical_scans is True
    assert settings.till.discount_limit_percent == 25


def test_a_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="environment variable OMNIPOS_TILL__WEDGE_MAX_GAP_MS"):
        load_settings(
            None, environ={"OMNIPOS_TILL__WEDGE_MAX_GAP_MS": "fast"}, fallback_file=NOWHERE
        )


def test_a_misspelt_environment_override_is_an_error_not_ignored() -> None:
    with pytest.raises(ConfigError, match="OMNIPOS_TILL__KEY_MAP: no configuration key"):
        load_settings(None, environ={"OMNIPOS_TILL__KEY_MAP": "x"}, fallback_file=NOWHERE)


def test_other_omnipos_variables_are_not_settings() -> None:
    settings = load_settings(None, environ={"OMNIPOS_EXTRAS": "dev"}, fallback_file=NOWHERE)
    assert settings == load_settings(None, environ={}, fallback_file=NOWHERE)


def test_an_empty_database_url_means_the_sqlite_file_in_the_data_directory() -> None:
    settings = load_settings(None, environ={"OMNIPOS_DATA_DIR": "/srv/shop"}, fallback_file=NOWHERE)
    assert settings.data_dir == Path("/srv/shop")
    assert settings.database_url == "sqlite:////srv/shop/omnipos.sqlite3"


def test_without_a_data_directory_the_platform_one_is_used() -> None:
    settings = load_settings(None, environ={}, fallback_file=NOWHERE)
    assert settings.data_dir.name == "omnipos"
    assert settings.data_dir.is_absolute()
