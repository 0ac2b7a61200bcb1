"""The seller and its tills."""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Company:
    """The business that sells (printed on every receipt, R-13).

    Attributes:
        name: Registered name.
        org_number: Nine-digit Norwegian organisation number.
        street: Street address.
        postal_code: Four-digit postal code.
        city: Postal place.
        vat_registered: Whether "MVA" follows the organisation number.
    """

    name: str
    org_number: str
    street: str
    postal_code: str
    city: str
    vat_registered: bool = True

    @property
    def org_line(self) -> str:
        """ "Org.nr. 999 999 999 MVA" as printed on receipts."""
        n = self.org_number
        spaced = f"{n[0:3]} {n[3:6]} {n[6:9]}" if len(n) == 9 else n
        return f"Org.nr. {spaced}" + (" MVA" if self.vat_registered else "")


@dataclass(frozen=True, slots=True)
class Register:
    """A till (kassapunkt): one signature chain and one set of number series.

    Attributes:
        register_id: ``registerID`` in SAF-T, for example "1".
        name: Shown in the header ("Kasse 1").
    """

    register_id: str
    name: str


MAX_REGISTER_ID = 35
"""SAF-T ``registerID`` is at most 35 characters."""


def checked_register_id(text: str) -> str:
    """A register id as typed, checked: 1-35 letters and digits (ASCII).

    Receipt numbers are ``<register>-<number>``, so a dash (or a space, which a shell
    line drops or keeps unseen) in a register id would make receipts nobody can look up.

    Raises:
        InvalidInput: It is not such an id (the text is named).
    """
    if not 1 <= len(text) <= MAX_REGISTER_ID or not (text.isascii() and text.isalnum()):
        raise InvalidInput(code="register.bad_id", register_id=text)
    return text
