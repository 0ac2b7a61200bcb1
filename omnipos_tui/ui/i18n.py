"""Every text the till shows, in bokmål (default) and English.

Screens never hold literal texts: they call :meth:`Translator.text` with a key from
:data:`TEXTS`. A test checks that every key used in ``omnipos_tui/ui`` exists here in both
languages, so a missing translation fails the build rather than the cashier.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from omnipos_tui.core.errors import ConfigError, Message, PosError
from omnipos_tui.messages import render
from omnipos_tui.ui.commands import Command
from omnipos_tui.ui.i18n_dialogs import DIALOG_TEXTS
from omnipos_tui.ui.i18n_stock import STOCK_TEXTS
from omnipos_tui.ui.i18n_till import TILL_TEXTS

if TYPE_CHECKING:  # the key map module reads LANGUAGES from here
    from omnipos_tui.ui.keymap import Keymap

#: The languages the till speaks; the first is the default.
LANGUAGES: tuple[str, ...] = ("nb", "en")

_NB = 0
_EN = 1

#: key -> (bokmål, English). Placeholders use ``str.format`` names.
TEXTS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # --- entry line -------------------------------------------------------------
        "entry.price_check": ("PRISSJEKK: skann vare", "PRICE CHECK: scan item"),
        "entry.return": (
            "RETUR: skann kvittering  ({key} igjen = uten kvittering, leder)",
            "RETURN: scan receipt  ({key} again = without receipt, manager)",
        ),
        "entry.line_quantity": ("NYTT ANTALL: ", "NEW QUANTITY: "),
        "entry.discount": (
            "RABATT {value}: 1 = %  2 = kr  3 = ny pris",
            "DISCOUNT {value}: 1 = %  2 = kr  3 = new price",
        ),
        "entry.too_long": ("For mange siffer", "Too many digits"),
        "entry.too_many_decimals": (
            "Maks tre desimaler (vekt i kg)",
            "Three decimals at most (a weight in kg)",
        ),
        "entry.amount_decimals": ("Et beløp har to desimaler", "An amount has two decimals"),
        "entry.one_comma": ("Bare ett komma", "Only one decimal comma"),
        "entry.amount_too_large": (
            "Beløpet er for stort (maks 9 siffer før komma)",
            "The amount is too large (9 digits before the comma at most)",
        ),
        "entry.code_has_comma": (
            "Et varenummer har ikke komma: trykk {esc} og skriv det på nytt",
            "An article number has no comma: press {esc} and type it again",
        ),
        "entry.need_code": (
            "Skann varen, eller skriv varenummer og trykk {enter}",
            "Scan the item, or type its number and press {enter}",
        ),
        "entry.need_amount": (
            "Skriv beløpet først, f.eks. 149,00 {key}",
            "Type the amount first, e.g. 149,00 {key}",
        ),
        "entry.need_discount": (
            "Skriv rabatten først, f.eks. 10 {key}",
            "Type the discount first, e.g. 10 {key}",
        ),
        "entry.need_receipt": (
            "Skann kvitteringen, eller skriv nummeret og trykk {enter}",
            "Scan the receipt, or type its number and press {enter}",
        ),
        "entry.receipt_dash": (
            "Et kvitteringsnummer er kasse-nummer, f.eks. 1-62",
            "A receipt number is till-number, e.g. 1-62",
        ),
        "entry.need_quantity": (
            "Skriv nytt antall og trykk {enter}",
            "Type the new quantity and press {enter}",
        ),
        "entry.bad_quantity": (
            "Antall må være over 0 og høyst 9999",
            "The quantity must be above 0 and at most 9999",
        ),
        "entry.zero_amount": ("Beløpet må være over 0", "The amount must be above 0"),
        "entry.pick_discount": (
            "Velg 1 = %, 2 = kr, 3 = ny pris ({esc} avbryter)",
            "Pick 1 = %, 2 = kr, 3 = new price ({esc} cancels)",
        ),
        "entry.percent_too_large": ("Rabatt over 100 % går ikke", "No discount above 100 %"),
        "entry.finish_first": (
            "Fullfør det som venter, eller trykk {esc}",
            "Finish what is pending, or press {esc}",
        ),
        "entry.quantity_waits": (
            "Antallet venter på en vare: skann varen eller trykk {esc}",
            "The quantity waits for an item: scan it or press {esc}",
        ),
        # --- status header ------------------------------------------------------------
        "header.register": ("Kasse {register}", "Till {register}"),
        "header.receipt": ("Salg {number}", "Sale {number}"),
        "header.training": ("TRENING", "TRAINING"),
        "light.printer.short": ("SKR", "PRN"),
        "light.printer.long": ("SKRIVER", "PRINTER"),
        "light.drawer.short": ("SKUFF", "DRAW"),
        "light.drawer.long": ("SKUFF", "DRAWER"),
        "light.terminal.short": ("KORT", "CARD"),
        "light.terminal.long": ("KORT", "CARD"),
        "light.scanner.short": ("SKAN", "SCAN"),
        "light.scanner.long": ("SKANNER", "SCANNER"),
        "light.database.short": ("DB", "DB"),
        "light.database.long": ("DB", "DB"),
        # --- sale list and totals -----------------------------------------------------
        "list.no": ("#", "#"),
        "list.item": ("Vare", "Item"),
        "list.quantity": ("Antall", "Qty"),
        "list.unit_price": ("à-pris", "Price"),
        "list.amount": ("Beløp", "Amount"),
        "list.voided": ("(annullert)", "(voided)"),
        "list.correction": ("ANNULLERT linje {line}", "VOID line {line}"),
        "totals.items": ("Varer {count}", "Items {count}"),
        "totals.discount": ("Rabatt {amount}", "Discount {amount}"),
        "totals.vat": ("MVA", "VAT"),
        "totals.to_pay": ("Å BETALE", "TO PAY"),
        "totals.to_refund": ("Å BETALE TILBAKE", "TO REFUND"),
        "totals.change": ("VEKSEL", "CHANGE"),
        "training.bar": ("TRENING – IKKE SALG", "TRAINING – NOT A SALE"),
        # --- login --------------------------------------------------------------------
        "login.number": ("Ansattnummer:", "Employee no.:"),
        "login.pin": ("PIN:", "PIN:"),
        "login.parked": (
            "Parkert salg på denne kassen: {count}",
            "Parked sales on this till: {count}",
        ),
        "login.unprinted": ("Kvittering ikke skrevet: {count}", "Receipts not printed: {count}"),
        "login.day": ("Dag: {day}", "Day: {day}"),
        "login.last_z": ("Siste Z: {when}", "Last Z: {when}"),
        "login.no_z": ("Siste Z: ingen", "Last Z: none"),
        "login.hint": (
            "{enter} = neste felt/logg inn   {esc} = tøm       Skann ansattkort for å logge inn",
            "{enter} = next field/log in   {esc} = clear     Scan employee card to log in",
        ),
        "login.checking": ("Sjekker …", "Checking …"),
        "lock.header": ("LÅST", "LOCKED"),
        "lock.banner": (
            "LÅST av {cashier} kl. {at} – salget venter",
            "LOCKED by {cashier} at {at} – the sale waits",
        ),
        "lock.hint": (
            "{cashier}: PIN og {enter} låser opp   {esc} = en annen ansatt logger inn",
            "{cashier}: PIN and {enter} unlock   {esc} = another employee logs in",
        ),
        "login.need_number": ("Skriv ansattnummeret", "Type your employee number"),
        "login.need_pin": ("Skriv PIN-koden", "Type your PIN"),
        "login.failed": (
            "Feil ansattnummer eller PIN. Etter 5 feil sperres ansatt i 5 minutter.",
            "Wrong employee number or PIN. After 5 failures the employee is locked for 5 minutes.",
        ),
        "login.locked": (
            "Ansatt sperret etter 5 feil PIN: prøv igjen om {minutes} min",
            "Employee locked after 5 wrong PINs: try again in {minutes} min",
        ),
        "login.error": ("Kan ikke logge inn: {reason}", "Cannot log in: {reason}"),
        # --- help ---------------------------------------------------------------------
        "help.title": ("Hjelp – taster", "Help – keys"),
        "help.digits": ("0-9", "0-9"),
        "help.digits_label": ("Tall", "Digits"),
        "help.digits_help": (
            "Bygg antall, beløp eller varenummer (tall først, så funksjon)",
            "Build a quantity, amount or article number (number first, then function)",
        ),
        "help.current_error": ("Siste melding: {text}", "Last message: {text}"),
        "help.close": ("{esc} eller {help} lukker", "{esc} or {help} closes"),
        "help.page": ("Side {page} av {pages}", "Page {page} of {pages}"),
        "help.more": ("{key} viser {keys}", "{key} shows {keys}"),
        "help.back": ("{key} tilbake", "{key} back"),
        # --- scans ----------------------------------------------------------------------
        "scan.queued": ("Skann i kø: {count}", "Scans queued: {count}"),
        "scan.finish_dialog": ("Fullfør dialogen først", "Finish the dialog first"),
        "scan.queue_full": (
            "Mer enn 20 skann i kø: fullfør dialogen først",
            "More than 20 scans queued: finish the dialog first",
        ),
        # Selling, paying, devices: their own table too.
        **TILL_TEXTS,
        # The dialogs' texts live in their own table (kept apart so two people can edit).
        **DIALOG_TEXTS,
        # Stock: product info, goods receipt and count mode.
        **STOCK_TEXTS,
    }
)


class Translator:
    """Looks texts up in one language, and names keys by the live key map.

    Attributes:
        language: ``"nb"`` or ``"en"``.
        keymap: The till's key table, or None (keys in texts are then named by their
            command, ``‹recall›``).
    """

    def __init__(self, language: str = "nb", keymap: Keymap | None = None) -> None:
        """Pick the language and the key map.

        Raises:
            ConfigError: The language is not one the till speaks.
        """
        if language not in LANGUAGES:
            raise ConfigError(
                f"shop.language: {language!r} is not a language the till speaks "
                f"({', '.join(LANGUAGES)})"
            )
        self.language = language
        self.keymap = keymap
        self._index = _NB if language == "nb" else _EN

    def text(self, key: str, /, **values: object) -> str:
        """The text for ``key`` with ``{placeholders}`` filled from ``values``.

        Raises:
            KeyError: The key is not in :data:`TEXTS` (a programming error a test catches).
        """
        template = TEXTS[key][self._index]
        return template.format(**values) if values else template

    def key_name(self, command_id: str) -> str:
        """How the key that sends a command is shown ("F6"): its first key in the live key
        map, else (a command left without a key) the command's label in brackets."""
        if self.keymap is None:
            return f"‹{command_id}›"
        try:
            command = Command(command_id)
        except ValueError:
            return f"‹{command_id}›"
        return (
            self.keymap.key_text(command)
            or f"[{self.keymap.binding(command).label[self.language]}]"
        )

    def message(self, item: PosError | Message) -> str:
        """An error's or a service's message in this language, keys named by the key map."""
        return render(item, self.language, self.key_name)


def error_text(error: PosError, translator: Translator) -> str:
    """What the till shows for ``error``: the one place a refusal becomes screen text.

    Args:
        error: The refusal or failure a service raised.
        translator: The till's translator (its language picks the text, its key map names
            the keys: a command moved to another key is named by its new key).

    Returns:
        The error's text in the till's language (see :func:`omnipos_tui.messages.render`).
    """
    return translator.message(error)
