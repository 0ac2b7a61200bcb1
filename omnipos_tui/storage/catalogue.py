"""The catalogue repository: products, barcodes and article groups on SQLite or PostgreSQL.

The till's hot paths (barcode and SKU lookup, name search) are single prepared statements
on unique indexes or the search index; writes go through the peewee models in batches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import peewee

from omnipos_tui.core.catalogue.products import ArticleGroup, Product, Unit
from omnipos_tui.core.errors import Conflict
from omnipos_tui.core.money import Money
from omnipos_tui.core.repositories import UpsertSummary
from omnipos_tui.core.vat import rate_by_code
from omnipos_tui.storage.database import engine_of, execute_sql, insert_rows, translated
from omnipos_tui.storage.models import ArticleGroupRow, ProductRow
from omnipos_tui.storage.search import (
    INNER_MIN,
    fold,
    fts5_match,
    query_words,
    trigram_match,
    tsquery,
)

CHUNK = 500  # rows per statement: well under SQLite's variable limit, few round trips
_COLUMNS = "p.id, p.sku, p.name, p.price_ore, p.vat_code, p.group_code, p.unit, p.active"


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(count: int) -> str:
    """``?, ?, ?`` for an IN list."""
    return ", ".join("?" * count)


class PeeweeCatalogueRepository:
    """:class:`~omnipos_tui.core.repositories.CatalogueRepository` on a peewee database."""

    def __init__(self, db: peewee.Database) -> None:
        self._db = db
        self._pg = engine_of(db) == "postgresql"

    # --- reads --------------------------------------------------------------------------

    @translated
    def product_by_barcode(self, code: str) -> Product | None:
        """The product with this barcode, by its unique index."""
        return self._one(
            f"SELECT {_COLUMNS} FROM product_barcode b JOIN product p ON p.id = b.product_id "
            "WHERE b.code = ?",
            code,
        )

    @translated
    def product_by_sku(self, sku: str) -> Product | None:
        """The product with this SKU/PLU, by its unique index."""
        return self._one(f"SELECT {_COLUMNS} FROM product p WHERE p.sku = ?", sku)

    @translated
    def search_products(
        self, text: str, *, limit: int = 20, offset: int = 0, active_only: bool = False
    ) -> list[Product]:
        """Products matching every word of ``text`` (case- and accent-insensitive), one
        page: first those whose name words start with the query words, by folded name then
        SKU; after them those where the words of three or more letters occur inside name
        words (compound words: "melk" finds "Lettmelk"), in the same order."""
        words = query_words(text)
        page = (max(0, limit), max(0, offset))
        if not words:
            active = "WHERE p.active = ?" if active_only else ""
            return self._many(
                f"SELECT {_COLUMNS} FROM product p {active} "
                "ORDER BY p.search_text, p.sku LIMIT ? OFFSET ?",
                *((True,) if active_only else ()),
                *page,
            )
        starts, starts_params = self._prefix_condition(words)
        inner_words = [word for word in words if len(word) >= INNER_MIN]
        prefix_where, prefix_params = starts, list(starts_params)
        if active_only:
            prefix_where += " AND p.active = ?"
            prefix_params.append(True)
        first = self._matches(prefix_where, prefix_params, *page)
        if len(first) == page[0] or not inner_words:
            return first
        # The page runs past the word-start matches: continue with the inner matches.
        if first:
            skip = 0
        else:
            counted = execute_sql(
                self._db, f"SELECT COUNT(*) FROM product p WHERE {prefix_where}", prefix_params
            ).fetchone()
            skip = max(0, page[1] - int(counted[0] if counted else 0))
        inner_where, inner_params = self._inner_condition(words, inner_words)
        if active_only:
            inner_where += " AND p.active = ?"
            inner_params.append(True)
        where = f"{inner_where} AND NOT ({starts})"
        return first + self._matches(
            where, [*inner_params, *starts_params], page[0] - len(first), skip
        )

    def _prefix_condition(self, words: list[str]) -> tuple[str, list[object]]:
        """Every query word starts a word of the name (the word index)."""
        if self._pg:
            return "p.search_vector @@ to_tsquery('simple', ?)", [tsquery(words)]
        return (
            "p.id IN (SELECT rowid FROM product_fts WHERE product_fts MATCH ?)",
            [fts5_match(words)],
        )

    def _inner_condition(
        self, words: list[str], inner_words: list[str]
    ) -> tuple[str, list[object]]:
        """Every long query word occurs in the name, every short one starts a word of it."""
        short = [word for word in words if len(word) < INNER_MIN]
        where: list[str] = []
        params: list[object] = []
        if self._pg:
            for word in inner_words:  # folded words hold only letters and digits
                where.append("p.search_text LIKE ?")
                params.append(f"%{word}%")
        else:
            where.append(
                "p.id IN (SELECT rowid FROM product_trigram WHERE product_trigram MATCH ?)"
            )
            params.append(trigram_match(inner_words))
        if short:
            condition, short_params = self._prefix_condition(short)
            where.append(condition)
            params += short_params
        return " AND ".join(where), params

    def _matches(self, where: str, params: list[object], limit: int, offset: int) -> list[Product]:
        if self._pg:
            # Matches first (GIN index), then the page: left alone, the planner walks the
            # name index and tests every row, which costs most when little matches.
            return self._many(
                f"WITH m AS MATERIALIZED (SELECT {_COLUMNS}, p.search_text AS sort_key "
                f"FROM product p WHERE {where}) SELECT {_COLUMNS.replace('p.', '')} FROM m "
                "ORDER BY sort_key, sku LIMIT ? OFFSET ?",
                *params,
                limit,
                offset,
            )
        return self._many(
            f"SELECT {_COLUMNS} FROM product p WHERE {where} "
            "ORDER BY p.search_text, p.sku LIMIT ? OFFSET ?",
            *params,
            limit,
            offset,
        )

    @translated
    def count_products(self) -> int:
        """How many products exist."""
        row = execute_sql(self._db, "SELECT COUNT(*) FROM product").fetchone()
        return int(row[0]) if row else 0

    def iter_products(self) -> Iterator[Product]:
        """Every product ordered by SKU, fetched a page at a time."""
        after = ""
        while True:
            page = self._page_after(after)
            if not page:
                return
            yield from page
            after = page[-1].sku

    @translated
    def _page_after(self, after: str) -> list[Product]:
        return self._many(
            f"SELECT {_COLUMNS} FROM product p WHERE p.sku > ? ORDER BY p.sku LIMIT ?",
            after,
            CHUNK * 2,
        )

    @translated
    def list_products(self, *, limit: int = 50, offset: int = 0) -> list[Product]:
        """One page of products ordered by SKU."""
        return self._many(
            f"SELECT {_COLUMNS} FROM product p ORDER BY p.sku LIMIT ? OFFSET ?",
            max(0, limit),
            max(0, offset),
        )

    @translated
    def products_by_skus(self, skus: Iterable[str]) -> dict[str, Product]:
        """The stored products among ``skus``, by SKU."""
        return {sku: product for sku, (_, product) in self._stored(list(skus)).items()}

    @translated
    def barcode_owners(self, codes: Iterable[str]) -> dict[str, str]:
        """For each of ``codes`` already stored, the SKU of the product that has it."""
        owners: dict[str, str] = {}
        for part in chunks(list(dict.fromkeys(codes))):
            rows = execute_sql(
                self._db,
                "SELECT b.code, p.sku FROM product_barcode b JOIN product p "
                f"ON p.id = b.product_id WHERE b.code IN ({marks(len(part))})",
                part,
            ).fetchall()
            owners.update({str(code): str(sku) for code, sku in rows})
        return owners

    @translated
    def groups(self) -> list[ArticleGroup]:
        """Every article group ordered by code."""
        query = ArticleGroupRow.select().order_by(ArticleGroupRow.code).bind(self._db)
        return [ArticleGroup(row.code, row.name, row.saft_code) for row in query]

    # --- writes -------------------------------------------------------------------------

    @translated
    def upsert_group(self, group: ArticleGroup) -> None:
        """Create or replace an article group by code."""
        ArticleGroupRow.insert(
            code=group.code, name=group.name, saft_code=group.saft_code
        ).on_conflict(
            conflict_target=[ArticleGroupRow.code],
            preserve=[ArticleGroupRow.name, ArticleGroupRow.saft_code],
        ).bind(self._db).execute()

    @translated
    def remove_barcodes(self, codes: Iterable[str]) -> None:
        """Take barcodes off whatever product has them."""
        for part in chunks(list(codes)):
            execute_sql(
                self._db, f"DELETE FROM product_barcode WHERE code IN ({marks(len(part))})", part
            )

    @translated
    def upsert_products(self, products: Iterable[Product]) -> UpsertSummary:
        """Create or replace products by SKU, including their barcode sets.

        Raises:
            Conflict: A barcode is on a product not being written with it, or the same
                SKU appears twice, or an article group does not exist.
        """
        created = updated = unchanged = 0
        for part in chunks(list(products)):
            skus = [p.sku for p in part]
            if len(set(skus)) != len(skus):
                raise Conflict("the same SKU appears twice in one batch")
            stored = self._stored(skus)
            owners = self.barcode_owners(code for p in part for code in p.barcodes)
            for product in part:
                for code in product.barcodes:
                    owner = owners.get(code)
                    if owner is not None and owner != product.sku:
                        raise Conflict(
                            f"barcode {code} is already on product {owner}; "
                            f"it cannot also be on {product.sku}"
                        )
            fresh = [p for p in part if p.sku not in stored]
            changed = [p for p in part if p.sku in stored and stored[p.sku][1] != p]
            unchanged += len(part) - len(fresh) - len(changed)
            ids = self._insert(fresh)
            for product in changed:
                row_id = stored[product.sku][0]
                ProductRow.update(**dict(zip(_PRODUCT_COLUMNS, _row(product), strict=True))).where(
                    ProductRow.id == row_id
                ).bind(self._db).execute()
                ids[product.sku] = row_id
            if changed:
                old_ids = [ids[p.sku] for p in changed]
                execute_sql(
                    self._db,
                    f"DELETE FROM product_barcode WHERE product_id IN ({marks(len(old_ids))})",
                    old_ids,
                )
            rows = [
                (code, ids[p.sku], seq)
                for p in [*fresh, *changed]
                for seq, code in enumerate(p.barcodes)
            ]
            insert_rows(self._db, "product_barcode", ("code", "product_id", "seq"), rows)
            created += len(fresh)
            updated += len(changed)
        return UpsertSummary(created=created, updated=updated, unchanged=unchanged)

    def _insert(self, products: Sequence[Product]) -> dict[str, int]:
        if not products:
            return {}
        insert_rows(self._db, "product", _PRODUCT_COLUMNS, [_row(p) for p in products])
        skus = [p.sku for p in products]
        found = execute_sql(
            self._db, f"SELECT sku, id FROM product WHERE sku IN ({marks(len(skus))})", skus
        ).fetchall()
        return {str(sku): int(row_id) for sku, row_id in found}

    # --- row mapping --------------------------------------------------------------------

    def _stored(self, skus: Sequence[str]) -> dict[str, tuple[int, Product]]:
        out: dict[str, tuple[int, Product]] = {}
        for part in chunks(skus):
            rows = execute_sql(
                self._db,
                f"SELECT {_COLUMNS} FROM product p WHERE p.sku IN ({marks(len(part))})",
                part,
            ).fetchall()
            for row_id, product in self._build(rows):
                out[product.sku] = (row_id, product)
        return out

    def _one(self, sql: str, *params: object) -> Product | None:
        rows = execute_sql(self._db, sql, params).fetchall()
        built = self._build(rows)
        return built[0][1] if built else None

    def _many(self, sql: str, *params: object) -> list[Product]:
        return [
            product for _, product in self._build(execute_sql(self._db, sql, params).fetchall())
        ]

    def _build(self, rows: list[tuple[Any, ...]]) -> list[tuple[int, Product]]:
        if not rows:
            return []
        ids = [int(row[0]) for row in rows]
        codes: dict[int, list[str]] = {row_id: [] for row_id in ids}
        if len(ids) == 1:
            found = execute_sql(
                self._db,
                "SELECT product_id, code FROM product_barcode WHERE product_id = ? ORDER BY seq",
                ids,
            ).fetchall()
        else:
            found = execute_sql(
                self._db,
                "SELECT product_id, code FROM product_barcode "
                f"WHERE product_id IN ({marks(len(ids))}) ORDER BY product_id, seq",
                ids,
            ).fetchall()
        for product_id, code in found:
            codes[int(product_id)].append(str(code))
        return [
            (
                int(row_id),
                Product(
                    sku=str(sku),
                    name=str(name),
                    price=Money(int(price)),
                    vat=rate_by_code(str(vat)),
                    group=str(group),
                    unit=Unit(str(unit)),
                    barcodes=tuple(codes[int(row_id)]),
                    active=bool(active),
                ),
            )
            for row_id, sku, name, price, vat, group, unit, active in rows
        ]


_PRODUCT_COLUMNS = (
    "sku", "name", "price_ore", "vat_code", "group_code", "unit", "active", "search_text"
)  # fmt: skip


def _row(product: Product) -> tuple[object, ...]:
    """The product's column values, in :data:`_PRODUCT_COLUMNS` order."""
    return (
        product.sku,
        product.name,
        product.price.ore,
        product.vat.code,
        product.group,
        product.unit.value,
        product.active,
        fold(product.name),
    )
