"""Norwegian organisation numbers, checked with python-stdnum.

The check lives in the services layer (the core stays standard-library only); EAN checks for
products live with the CSV format in ``product_fields``. python-stdnum is imported when a
number is checked, not with this module: its import loads pydoc and ssl, which the till's
start-up (whose set-up service imports this module) does not need.
"""

from __future__ import annotations

from omnipos_tui.core.errors import InvalidOrganisationNumber


def org_number(text: str) -> str:
    """The nine digits of a valid organisation number ("923 609 016", "NO923609016MVA" ok).

    Raises:
        InvalidOrganisationNumber: Not nine digits or the MOD11 check digit is wrong.
    """
    from stdnum.exceptions import ValidationError
    from stdnum.no import orgnr

    compact = text.strip().upper().removeprefix("NO").removesuffix("MVA")
    try:
        return str(orgnr.validate(compact))
    except ValidationError as exc:
        raise InvalidOrganisationNumber(
            code="shop.bad_org_number", number=text.strip(), reason=str(exc)
        ) from None
