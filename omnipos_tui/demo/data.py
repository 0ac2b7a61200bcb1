"""Demo data: a plausible Norwegian neighbourhood shop, and synthetic catalogues for benchmarks.

Everything here is pure and deterministic: the same call gives the same data every time
(synthetic catalogues take an explicit seed). Organisation numbers and barcodes are computed
so their check digits are valid; they are made up and do not point at real businesses or
products on purpose.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from datetime import date

from stdnum.no import orgnr

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.customers.customer import Customer
from omnipos_tui.core.money import Money
from omnipos_tui.core.shop.company import Company
from omnipos_tui.core.staff.employee import Employee, Role
from omnipos_tui.core.vat import RATES, VatRate, rate_for_percent
from omnipos_tui.demo.catalogue import PACKAGED, PLU, SECOND_BARCODE
from omnipos_tui.services.catalogue.product_fields import ean_check_digit
from omnipos_tui.services.catalogue.starter_groups import STARTER_GROUPS, starter_groups

_SECOND_BARCODE_OFFSET = 50_000


def demo_company() -> Company:
    """The demo shop: Nærbutikken Solsiden AS in Trondheim."""
    return Company(
        name="Nærbutikken Solsiden AS",
        org_number=_org_number("92174564"),
        street="Beddingen 16",
        postal_code="7014",
        city="Trondheim",
    )


def demo_groups() -> list[ArticleGroup]:
    """Twelve article groups with Norwegian names, mapped to SAF-T 04xxx codes."""
    return starter_groups()


def demo_products(on: date) -> list[Product]:
    """The demo shop's assortment: over 200 products in every VAT class.

    Packaged goods get SKUs of group code plus a running number ("10001") and made-up
    Norwegian EAN-13 barcodes (prefix 70, valid check digit); a few have two. Loose produce,
    counter goods, carrier bags and pant are keyed by PLU ("4011" bananas) and have no
    barcode; several of them are sold by the kilo.

    Args:
        on: The day whose VAT rates apply.

    Raises:
        InvalidInput: A VAT rate the assortment needs is not in force on that day.
    """
    rates = _group_rates(on)
    products: list[Product] = []
    item = 0
    for group, entries in PACKAGED.items():
        for number, (name, price) in enumerate(entries, start=1):
            item += 1
            manufacturer = 10_000 + zlib.crc32(name.split()[0].encode()) % 80_000
            barcodes = [_ean13(f"70{manufacturer:05d}{item:05d}")]
            if name in SECOND_BARCODE:
                barcodes.append(_ean13(f"70{manufacturer:05d}{item + _SECOND_BARCODE_OFFSET:05d}"))
            products.append(
                Product(
                    sku=f"{group}{number:03d}",
                    name=name,
                    price=Money(price),
                    vat=rates[group],
                    group=group,
                    barcodes=tuple(barcodes),
                )
            )
    for sku, name, price, group, unit in PLU:
        products.append(
            Product(
                sku=sku, name=name, price=Money(price), vat=rates[group], group=group, unit=unit
            )
        )
    return products


def demo_staff() -> list[tuple[Employee, str]]:
    """The demo employees with their PINs (for the demo and tests only).

    ======  ==============  =======  =====
    Number  Name            Role     PIN
    ======  ==============  =======  =====
    1       Kari Nordmann   cashier  1234
    2       Ola Hansen      manager  9999
    3       Ingrid Berg     cashier  2468
    9       Admin           admin    0000
    ======  ==============  =======  =====
    """
    return [
        (Employee("1", "Kari Nordmann", Role.CASHIER), "1234"),
        (Employee("2", "Ola Hansen", Role.MANAGER), "9999"),
        (Employee("3", "Ingrid Berg", Role.CASHIER), "2468"),
        (Employee("9", "Admin", Role.ADMIN), "0000"),
    ]


def demo_customers() -> list[Customer]:
    """Eight customers: four businesses with organisation numbers and four people."""
    return [
        Customer(
            "20001",
            "Solsiden Frisør AS",
            "73 52 10 40",
            "post@solsidenfrisor.example",
            _org_number("91563728"),
            "Dokkgata 8",
            "7014",
            "Trondheim",
        ),
        Customer(
            "20002",
            "Bakklandet Barnehage SA",
            "73 51 88 20",
            "styrer@bakklandetbhg.example",
            _org_number("99321456"),
            "Øvre Bakklandet 41",
            "7016",
            "Trondheim",
        ),
        Customer(
            "20003",
            "Trondheim Rørleggerservice AS",
            "916 44 210",
            "ordre@trondheimror.example",
            _org_number("98765123"),
            "Haakon VIIs gate 5",
            "7041",
            "Trondheim",
        ),
        Customer(
            "20004",
            "Nidelven Regnskap AS",
            "73 99 12 00",
            "faktura@nidelvenregnskap.example",
            _org_number("92645318"),
            "Kjøpmannsgata 20",
            "7013",
            "Trondheim",
        ),
        Customer("20005", "Per Olsen", "412 34 567", "per.olsen@example.com"),
        Customer("20006", "Marte Kirkerud", "928 11 405", "marte.k@example.com"),
        Customer("20007", "Hans Pettersen", "470 02 318"),
        Customer(
            "20008", "Siri Johansen", "", "siri.johansen@example.com", street="Nedre Elvehavn 3"
        ),
    ]


# Word lists for synthetic catalogues; Norwegian letters on purpose, so search and
# accent-folding see æ, ø and å at realistic frequencies.
_BRANDS = (
    "Tine", "Gilde", "Prior", "Stabburet", "Nidar", "Freia", "Mills", "Kavli", "Idun", "Toro",
    "Fjordland", "Sætre", "Møllerens", "Kjeldsberg", "Bakers", "Hennig-Olsen", "Diplom-Is",
    "Maarud", "Sørlandschips", "Ringnes", "Hansa", "Lerum", "Nora", "First Price", "Eldorado",
    "Coop", "Jacobs Utvalgte", "Synnøve", "Rørosmeieriet", "Grans", "Brynildsen", "Åsgården",
    "Ørskog", "Ærlig Mat", "Fjellgården", "Bøndenes", "Lofotfisk", "Trøndersmak", "Blåfjell",
)  # fmt: skip
_WORDS: dict[str, tuple[str, ...]] = {
    "10": ("Lettmelk", "Brunost", "Fiskeboller", "Rømmegrøt", "Kjøttkaker", "Leverpostei",
           "Gulost", "Geitost", "Sursild", "Røkelaks", "Fiskekaker", "Fårepølse", "Rømme",
           "Prim", "Smøreost", "Yoghurt", "Multekrem", "Ertesuppe", "Lapskaus", "Kjøttpølse"),
    "11": ("Epler", "Pærer", "Gulrøtter", "Kålrot", "Poteter", "Jordbær", "Bringebær",
           "Moreller", "Løk", "Brokkoli", "Blåbær", "Tyttebær", "Plommer", "Søtpoteter"),
    "12": ("Grovbrød", "Kneippbrød", "Flatbrød", "Knekkebrød", "Lefser", "Lomper", "Kavring",
           "Kringle", "Vaffelmiks", "Skillingsboller"),
    "20": ("Eplemost", "Brus", "Sitronbrus", "Mineralvann", "Appelsinjus", "Bringebærsaft",
           "Solbærsaft", "Pærebrus"),
    "21": ("Kaffe filtermalt", "Kaffe kokmalt", "Kaffe hele bønner", "Grønn te", "Kakao",
           "Rooibos-te"),
    "30": ("Melkesjokolade", "Seigmenn", "Lakris", "Potetgull", "Nøttemiks", "Karameller",
           "Marsipan", "Kokosboller", "Smågodt", "Sjokoladeplate"),
    "40": ("Snus portion", "Sigaretter", "Rulletobakk"),
    "50": ("Avis", "Lokalavis", "Søndagsavis"),
    "60": ("Oppvaskmiddel", "Håndsåpe", "Tørkerull", "Grønnsåpe", "Stearinlys", "Vaskemiddel",
           "Tannkrem", "Skurekrem"),
    "70": ("Bussbillett", "Ferjebillett", "Kinobillett"),
    "80": ("Bærepose", "Fryseposer"),
    "90": ("Pant",),
}  # fmt: skip
_VARIANTS = (
    "Original", "Lett", "Økologisk", "Grov", "Ekstra", "Mild", "Sterk", "Søt", "Gammeldags",
    "Fersk", "Røkt", "Klassisk", "Sukkerfri", "Hjemmelaget", "Småbruk", "Fjellbrygg",
)  # fmt: skip
_SIZES = (
    "100 g", "150 g", "200 g", "250 g", "400 g", "500 g", "750 g", "1 kg", "0,33 l", "0,5 l",
    "1 l", "1,5 l", "2 l", "4 stk", "6 stk", "10 stk", "12 stk",
)  # fmt: skip
# How often each group turns up in a synthetic catalogue: mostly food, like a real shop.
_GROUP_WEIGHTS = {"10": 30, "11": 6, "12": 8, "20": 10, "21": 5, "30": 14, "40": 3, "50": 2,
                  "60": 15, "70": 1, "80": 1, "90": 1}  # fmt: skip


def synthetic_products(n: int, seed: int = 1, *, on: date | None = None) -> Iterator[Product]:
    """``n`` varied products for benchmarks with large catalogues.

    SKUs ("1000000", "1000001", ...) and EAN-13 barcodes (prefix 709) are unique and never
    clash with :func:`demo_products`; names (brand + product + variant + size), prices,
    groups from :func:`demo_groups` and their VAT rates, and the weighed share of produce,
    come from a random generator seeded with ``seed``.

    Args:
        n: How many products.
        seed: The random seed; the same seed gives the same products.
        on: The day whose VAT rates apply; by default the rates in force with no end date.

    Raises:
        InvalidInput: A VAT rate is not in force on ``on``.
    """
    rng = random.Random(seed)
    rates = _group_rates(on)
    pool = [group for group, weight in _GROUP_WEIGHTS.items() for _ in range(weight)]
    choice, randrange, random_unit = rng.choice, rng.randrange, rng.random
    for i in range(n):
        group = choice(pool)
        name = f"{choice(_BRANDS)} {choice(_WORDS[group])} {choice(_VARIANTS)} {choice(_SIZES)}"
        weighed = group == "11" and random_unit() < 0.4
        yield Product(
            sku=str(1_000_000 + i),
            name=name,
            price=Money(randrange(5, 500) * 100 + 90),
            vat=rates[group],
            group=group,
            unit=Unit.KG if weighed else Unit.PIECE,
            barcodes=(_ean13(f"709{i:09d}"),),
        )


def _group_rates(on: date | None) -> dict[str, VatRate]:
    """Each demo group's VAT rate on a day (or the open-ended rates when ``on`` is None)."""
    rates: dict[str, VatRate] = {}
    for code, _, _, percent in STARTER_GROUPS:
        outside = percent == "outside"
        if on is not None:
            rates[code] = rate_for_percent(0 if outside else percent, on=on, outside_act=outside)
        else:
            rates[code] = next(
                rate
                for rate in RATES
                if rate.valid_to is None
                and rate.percent == (0 if outside else int(percent))
                and (rate.standard_code == "6") == outside
            )
    return rates


def _ean13(first_twelve: str) -> str:
    """An EAN-13 with its check digit computed."""
    return first_twelve + ean_check_digit(first_twelve)


def _org_number(first_eight: str) -> str:
    """A Norwegian organisation number with a valid MOD11 check digit.

    Raises:
        ValueError: The start has no valid check digit (MOD11 gives 10): a programming error.
    """
    for digit in "0123456789":
        if orgnr.is_valid(first_eight + digit):
            return first_eight + digit
    raise ValueError(f"no organisation number starts with {first_eight}")
