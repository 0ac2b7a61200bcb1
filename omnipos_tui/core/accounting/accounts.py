"""The account map: which general-ledger account each part of a settlement is booked to.

Defaults are NS 4102 standard accounts (INTEGRATIONS.md §2); the shop overrides any of them
in ``[accounting.accounts]``. Keys are words, not our VAT codes, so the file reads as what
it is::

    [accounting.accounts]
    sales_25 = "3000"        # revenue at 25 %  (and vat_25 = "2700": output VAT)
    card = "1940"            # card clearing (card_2 = "1942": the card terminal of register 2)
    group_04003 = "3010"     # an article group's own revenue account (at whatever rate)

The rate keys come from our VAT codes (``core.vat``): 25 % -> ``sales_25``/``vat_25``, 15 %
-> ``sales_15``/``vat_15``, 12 % -> ``sales_12``/``vat_12``, zero-rated -> ``sales_0``,
outside the VAT act -> ``sales_outside``. A rate added later without its own key is
``sales_code<N>``/``vat_code<N>``. Means of payment: ``cash``, ``card``, ``vipps``,
``gift_voucher`` (vouchers redeemed, and sold: a liability), ``customer_account``
(receivables, with the customer); a source may bring its own (the web shop's
``web_card``, ...): it names them in :meth:`AccountMap.missing`.

Pure: no configuration reading here (``settings`` hands the table in).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from omnipos_tui.core.errors import ConfigError
from omnipos_tui.core.vat import RATES

#: NS 4102 defaults (INTEGRATIONS.md §2). Card and Vipps clearing accounts have no NS 4102
#: number of their own; 1940/1941 are the usual choice.
DEFAULT_ACCOUNTS: Mapping[str, str] = MappingProxyType(
    {
        "sales_25": "3000",
        "sales_15": "3030",
        "sales_12": "3050",
        "sales_0": "3100",
        "sales_outside": "3200",
        "vat_25": "2700",
        "vat_15": "2701",
        "vat_12": "2702",
        "cash": "1900",
        "card": "1940",
        "vipps": "1941",
        "gift_voucher": "2965",
        "customer_account": "1500",
        "rounding": "7740",
        "cash_difference": "7790",
        "tips": "2910",
        "deposits": "2900",
        "cash_transfer": "1920",
        "change_float": "1900",
    }
)

#: What each key means (``accounting test`` and the CLI's messages name it).
KEY_MEANINGS: Mapping[str, str] = MappingProxyType(
    {
        "cash": "cash in the drawer",
        "card": "card payments (clearing)",
        "vipps": "Vipps payments (clearing)",
        "gift_voucher": "gift vouchers redeemed and sold (liability)",
        "customer_account": "sales on customer account (receivables)",
        "rounding": "cash rounding",
        "cash_difference": "counted cash over/short",
        "tips": "tips owed to the staff (liability)",
        "deposits": "deposits on customer orders (liability)",
        "cash_transfer": "cash put into or taken out of the drawer (bank/safe)",
        "change_float": "the change float's source (same as cash: not booked)",
    }
)

#: The means of payment every till has: each must be mapped.
TILL_MEANS = ("cash", "card", "vipps", "gift_voucher", "customer_account")
#: Keys every settlement may need whatever was sold.
OTHER_KEYS = ("rounding", "cash_difference", "tips", "cash_transfer", "change_float")

_RATE_WORDS = {"3": "25", "31": "15", "33": "12", "5": "0", "6": "outside"}


def rate_word(vat_code: str) -> str:
    """The word of our VAT code in the account keys ("3" -> "25", "6" -> "outside")."""
    return _RATE_WORDS.get(vat_code, f"code{vat_code}")


def sales_key(vat_code: str) -> str:
    """The revenue account's key for our VAT code."""
    return f"sales_{rate_word(vat_code)}"


def vat_key(vat_code: str) -> str:
    """The output-VAT account's key for our VAT code."""
    return f"vat_{rate_word(vat_code)}"


def group_key(group: str) -> str:
    """The key of an article group's own revenue account."""
    return f"group_{group}"


def vat_bearing(vat_code: str) -> bool:
    """Whether sales at this code carry VAT (a VAT account is needed)."""
    for rate in RATES:
        if rate.code == vat_code:
            return rate.percent != Decimal(0)
    return True


@dataclass(frozen=True, slots=True)
class AccountMap:
    """The effective account map.

    Attributes:
        accounts: Key -> account number (defaults overlaid with the shop's table).
        gift_voucher_group: The article group whose sales are gift vouchers sold (booked
            to ``gift_voucher``, a liability, not revenue); "" when gift vouchers are not
            sold through an article.
        deposit_group: Likewise for deposits on customer orders (``deposits``).
    """

    accounts: Mapping[str, str] = field(default_factory=lambda: DEFAULT_ACCOUNTS)
    gift_voucher_group: str = ""
    deposit_group: str = ""

    @classmethod
    def from_table(
        cls,
        table: Mapping[str, object],
        *,
        gift_voucher_group: str = "",
        deposit_group: str = "",
        where: str = "[accounting.accounts]",
    ) -> AccountMap:
        """The defaults overlaid with ``table`` (the shop's ``[accounting.accounts]``).

        Raises:
            ConfigError: A value that is not an account number (digits), naming the key.
        """
        merged = dict(DEFAULT_ACCOUNTS)
        for key, value in table.items():
            text = str(value).strip() if isinstance(value, str | int) else None
            if text is None or (text and not text.isdigit()):
                raise ConfigError(
                    code="accounting.not_an_account", where=where, key=str(key), value=value
                )
            merged[str(key)] = text
        return cls(MappingProxyType(merged), gift_voucher_group, deposit_group)

    def get(self, key: str) -> str:
        """The account of ``key``, or "" when it is not mapped."""
        return self.accounts.get(key, "")

    def sales_account(self, group: str, vat_code: str) -> tuple[str, str]:
        """The revenue account of an article group's sales at a VAT code, and its key:
        the group's own account where the shop maps the group, else the rate's."""
        own = group_key(group)
        if group and self.get(own):
            return self.get(own), own
        key = sales_key(vat_code)
        return self.get(key), key

    def payment_account(self, means: str, detail: str = "") -> tuple[str, str]:
        """The account of a means of payment, and its key: ``card_<register>`` before
        ``card`` where the source names the terminal's register."""
        if detail:
            own = f"{means}_{detail}"
            if self.get(own):
                return self.get(own), own
        return self.get(means), means

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The keys of ``keys`` that map to no account, in order, once each."""
        seen: list[str] = []
        for key in keys:
            if not self.get(key) and key not in seen:
                seen.append(key)
        return seen

    def required_keys(self, on_rates: Iterable[str] | None = None) -> list[str]:
        """Every key a till's settlement may need: each VAT rate's revenue (and VAT)
        account, every means of payment, rounding, cash difference, tips, transfers."""
        codes = [r.code for r in RATES] if on_rates is None else list(on_rates)
        keys: list[str] = []
        for code in codes:
            keys.append(sales_key(code))
            if vat_bearing(code):
                keys.append(vat_key(code))
        keys.extend(TILL_MEANS)
        keys.extend(OTHER_KEYS)
        if self.gift_voucher_group:
            keys.append("gift_voucher")
        if self.deposit_group:
            keys.append("deposits")
        return keys

    def in_use(self) -> list[tuple[str, str]]:
        """(key, account) of every key a settlement may book to: the required ones and
        the shop's own group and terminal accounts (``accounting test`` checks these)."""
        keys = self.required_keys()
        keys += sorted(k for k in self.accounts if k.startswith(("group_", "card_", "web_")))
        return [(k, self.get(k)) for k in dict.fromkeys(keys) if self.get(k)]

    def check(self) -> None:
        """Refuse a map that leaves a VAT rate or a means of payment unmapped (at start,
        before any Z is queued).

        Raises:
            ConfigError: Naming every key to set.
        """
        missing = self.missing(self.required_keys())
        if missing:
            raise ConfigError(
                code="accounting.unmapped",
                keys=[f'{k} = "{DEFAULT_ACCOUNTS.get(k, "NNNN")}"' for k in missing],
            )
