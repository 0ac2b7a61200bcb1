"""The one error hierarchy. Library exceptions are translated into these at the boundary.

Expected outcomes (a declined card, a cancelled payment) are values, not exceptions. Each
front end handles ``PosError`` in one place: a modal in the till, stderr and an exit code in
the CLI.

A ``PosError`` may carry a Norwegian (bokmål) text besides its English message: the till
speaks bokmål by default, so a refusal a cashier can meet says what to do next in bokmål
(``nb=``). ``str(exc)`` stays English because the admin CLI and the logs read it;
``exc.text(language)`` picks the text for a screen. Device, configuration and storage
failures carry technical English detail (a port, a path, an OS error) for the technician;
their classes name the trouble in bokmål (``NB_LEAD``), which the till shows before it.
"""

from __future__ import annotations

from typing import ClassVar


class PosError(Exception):
    """Base class of every error OmniPOS reports to a person.

    Attributes:
        nb: The Norwegian (bokmål) text for the till, or None when there is only English.
        NB_LEAD: What kind of trouble this is, in bokmål, shown before the English message
            when there is no ``nb`` text (None: the English message alone).
    """

    NB_LEAD: ClassVar[str | None] = None

    def __init__(self, message: str = "", *, nb: str | None = None) -> None:
        """Make an error.

        Args:
            message: What went wrong, in English (the CLI and the logs show it).
            nb: The same in bokmål for the till's screens, naming the next key where there
                is one.
        """
        super().__init__(message)
        self.nb = nb

    def text(self, language: str) -> str:
        """The message in ``language``: the bokmål text for ``"nb"`` when there is one.

        Args:
            language: The screen's language code (``"nb"`` or ``"en"``).

        Returns:
            For ``"nb"``: the Norwegian text if the error carries one, else the class's
            bokmål lead and the English message ("Skriveren svarer ikke: printer at
            /dev/usb/lp0 went away"), else the English message. Otherwise the English
            message.
        """
        if language == "nb":
            if self.nb:
                return self.nb
            if self.NB_LEAD:
                return f"{self.NB_LEAD}: {self}" if str(self) else self.NB_LEAD
        return str(self)


# --- input and domain rules -------------------------------------------------------------


class InvalidInput(PosError):
    """Something typed, imported or configured is not valid."""


class InvalidAmount(InvalidInput):
    """An amount could not be read."""


class InvalidBarcode(InvalidInput):
    """A barcode has a wrong length or check digit."""


class InvalidOrganisationNumber(InvalidInput):
    """A Norwegian organisation number fails its check digit."""


class ConfigError(PosError):
    """The configuration is not valid; the message names the key and the file."""

    NB_LEAD = "Feil i oppsettet (kontakt tekniker)"


class NotFound(PosError):
    """A product, employee, customer, sale or receipt does not exist."""


class UnknownCode(NotFound):
    """A scanned or typed code matches no product (barcode, PLU or SKU).

    Attributes:
        code: The code as it arrived.
    """

    def __init__(self, code: str) -> None:
        super().__init__(
            f"unknown barcode {code}", nb=f"Ukjent strekkode {code}. Trykk F2 for å søke."
        )
        self.code = code

    def __reduce__(self) -> tuple[type[UnknownCode], tuple[str]]:
        return (UnknownCode, (self.code,))


class Conflict(PosError):
    """The change clashes with what is stored (a barcode already on another product)."""


class RuleViolation(PosError):
    """The action is not allowed now (a second copy receipt, a Z with parked sales)."""


class ApprovalRequired(RuleViolation):
    """The action needs a manager's approval.

    Attributes:
        action: What needs approval, in words a cashier understands.
        action_nb: The same in bokmål (the English words when none was given).
    """

    def __init__(self, action: str, *, nb: str | None = None) -> None:
        """Make the refusal.

        Args:
            action: What needs approval, in English.
            nb: The action in bokmål (defaults to ``action``).
        """
        super().__init__(f"requires approval: {action}", nb=f"Krever godkjenning: {nb or action}")
        self.action = action
        self.action_nb = nb or action

    def action_text(self, language: str) -> str:
        """What needs approval in ``language`` (``"nb"`` or ``"en"``), for the override."""
        return self.action_nb if language == "nb" else self.action

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its own arguments (not the message), so a copy equals the original.
        return (_approval_required, (self.action, self.action_nb))


def _approval_required(action: str, action_nb: str) -> ApprovalRequired:
    return ApprovalRequired(action, nb=action_nb)


# --- authentication ---------------------------------------------------------------------


class AuthenticationError(PosError):
    """Wrong employee number or PIN."""


class EmployeeLocked(AuthenticationError):
    """Too many wrong PINs; the employee is locked for a while.

    Attributes:
        seconds_left: Seconds until the lock ends.
    """

    def __init__(self, seconds_left: int) -> None:
        """Make the refusal.

        Args:
            seconds_left: Seconds until the lock ends.
        """
        minutes = max(1, -(-seconds_left // 60))
        super().__init__(
            f"employee locked for {seconds_left} more seconds after 5 wrong PINs",
            nb=f"Låst i {minutes} min etter 5 feil PIN. Prøv igjen senere eller be en leder.",
        )
        self.seconds_left = seconds_left

    def __reduce__(self) -> tuple[object, ...]:
        return (EmployeeLocked, (self.seconds_left,))


class PermissionDenied(PosError):
    """The employee's role does not allow the action."""


# --- storage and integrity --------------------------------------------------------------


class StorageError(PosError):
    """The database could not be read or written."""

    NB_LEAD = "Feil i databasen"


class DatabaseUnavailable(StorageError):
    """The database does not answer (a PostgreSQL till has lost its server)."""

    NB_LEAD = "Databasen svarer ikke"


class MigrationRequired(StorageError):
    """The database schema is older than this version of OmniPOS."""


class AppendOnlyViolation(StorageError):
    """Something tried to change or delete a journal or transaction row."""


class IntegrityFailure(PosError):
    """The journal or signature chain does not verify."""

    NB_LEAD = "Journalen stemmer ikke (kontakt support)"


class SigningKeyError(PosError):
    """A signing key file is missing, unreadable, corrupt, or open to other users."""

    NB_LEAD = "Feil med signaturnøkkelen (kontakt support)"


# --- devices ----------------------------------------------------------------------------


class DeviceError(PosError):
    """A device failed. Subclasses say which and how."""

    NB_LEAD = "Feil på en enhet"


class DeviceTimeout(DeviceError):
    """A device did not answer within its timeout."""

    NB_LEAD = "Enheten svarer ikke"


class DeviceNotConnected(DeviceError):
    """A device's port or path is missing or was unplugged."""

    NB_LEAD = "Enheten er ikke tilkoblet"


class PrinterError(DeviceError):
    """The receipt printer failed."""

    NB_LEAD = "Feil på kvitteringsskriveren"


class PrinterOffline(PrinterError):
    """The printer does not answer or cannot be reached."""

    NB_LEAD = "Kvitteringsskriveren svarer ikke"


class PaperOut(PrinterError):
    """The printer reports no paper."""

    NB_LEAD = "Skriveren er tom for papir"


class CoverOpen(PrinterError):
    """The printer reports its cover open."""

    NB_LEAD = "Skriverlokket er åpent"


class DrawerError(DeviceError):
    """The cash drawer could not be kicked or read."""

    NB_LEAD = "Feil på kasseskuffen"


class TerminalError(DeviceError):
    """The card terminal failed (framing, link, or an answer that cannot be read)."""

    NB_LEAD = "Feil på betalingsterminalen"


class TerminalOutcomeUnknown(TerminalError):
    """The terminal stopped answering after the amount was sent: the payment may or may not
    have been approved. The cashier must check the terminal before anything else happens."""

    NB_LEAD = "Ukjent utfall på betalingsterminalen: sjekk terminalen"


class ScannerError(DeviceError):
    """The barcode scanner could not be opened or read."""

    NB_LEAD = "Feil på strekkodeleseren"


class DisplayError(DeviceError):
    """The customer display failed."""

    NB_LEAD = "Feil på kundeskjermen"


# --- delivery to the outside world (the outbox) -----------------------------------------


class DeliveryError(PosError):
    """An outbox handler could not deliver a message. Subclasses say whether to try again."""

    NB_LEAD = "Kunne ikke levere meldingen"


class DeliveryDeferred(DeliveryError):
    """A transient failure (a timeout, 429, a 5xx, a device that is busy): the message is
    tried again later, with exponential backoff and jitter, never before ``retry_after``.

    Attributes:
        detail: What went wrong, as the far end or the device said it.
        retry_after: Seconds the far end asked us to wait (``Retry-After``), or None.
    """

    NB_LEAD = "Levering utsatt"

    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[object, ...]:
        return (DeliveryDeferred, (self.detail, self.retry_after))


class DeliveryRejected(DeliveryError):
    """A permanent refusal (the far end says the message is invalid): the message stops
    as *failed* with the far end's words and is tried again only by an explicit retry.

    Attributes:
        detail: The far end's message.
    """

    NB_LEAD = "Levering avvist"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __reduce__(self) -> tuple[object, ...]:
        return (DeliveryRejected, (self.detail,))
