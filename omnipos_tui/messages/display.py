"""The customer display's labels: code -> (bokmål, English), and :func:`display_words`,
which hands them to the display's layout (``core.sales.display_text``) in the till's
language. Words, not messages: they are not in the error-text catalogue."""

from __future__ import annotations

from omnipos_tui.core.sales.display_text import DisplayWords, check_language

WORDS: dict[str, tuple[str, str]] = {
    "display.welcome": ("Velkommen", "Welcome"),
    "display.total": ("Totalt", "Total"),
    "display.to_pay": ("Å betale", "To pay"),
    "display.to_refund": ("Til utbetaling", "To refund"),
    "display.paid": ("Betalt", "Paid"),
    "display.change": ("Tilbake", "Change"),
    "display.thanks": ("Takk for handelen!", "Thank you!"),
    "display.again": ("Velkommen igjen", "Welcome back"),
    "display.closed": ("Kassen er stengt", "Till closed"),
}

_LANGUAGES = {"nb": 0, "en": 1}


def display_words(language: str) -> DisplayWords:
    """The display's labels in ``language`` ("nb" or "en").

    Raises:
        ConfigError: Another language (naming the ones there are).
    """
    check_language(language, tuple(_LANGUAGES))
    index = _LANGUAGES[language]
    return DisplayWords(
        **{code.removeprefix("display."): texts[index] for code, texts in WORDS.items()}
    )
