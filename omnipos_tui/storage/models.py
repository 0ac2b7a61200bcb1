"""peewee models of the tables the repositories read and write.

The models are not bound to a database: each repository binds its queries to the database
of its unit of work (``query.bind(db)``), so several databases (two tills in a test, a
benchmark next to a test) can be used in one process. The tables themselves are created by
the versioned migrations (``schema_v1.py`` ...), never by ``create_table``; a test checks that
these models match the migrated columns.

Money is integer øre (``BigIntegerField``), never ``DecimalField``; times are fixed-width UTC
text (see ``db_time.time_to_db``).
"""

from __future__ import annotations

import peewee


class _Model(peewee.Model):
    class Meta:
        database = None
        legacy_table_names = False


class SchemaVersionRow(_Model):
    """One applied migration."""

    version = peewee.IntegerField(primary_key=True)
    description = peewee.TextField()
    applied_at = peewee.TextField()

    class Meta:
        table_name = "schema_version"


class CompanyRow(_Model):
    """The company (one row, id 1)."""

    id = peewee.IntegerField(primary_key=True)
    name = peewee.TextField()
    org_number = peewee.TextField()
    street = peewee.TextField()
    postal_code = peewee.TextField()
    city = peewee.TextField()
    vat_registered = peewee.BooleanField()

    class Meta:
        table_name = "company"


class RegisterRow(_Model):
    """A till."""

    register_id = peewee.TextField(primary_key=True)
    name = peewee.TextField()

    class Meta:
        table_name = "cash_register"


class ArticleGroupRow(_Model):
    """An article group."""

    code = peewee.TextField(primary_key=True)
    name = peewee.TextField()
    saft_code = peewee.TextField()

    class Meta:
        table_name = "article_group"


class ProductRow(_Model):
    """A product; ``search_text`` is the folded name the search indexes."""

    id = peewee.AutoField()
    sku = peewee.TextField(unique=True)
    name = peewee.TextField()
    price_ore = peewee.BigIntegerField()
    vat_code = peewee.TextField()
    group_code = peewee.TextField()
    unit = peewee.TextField()
    active = peewee.BooleanField()
    search_text = peewee.TextField()

    class Meta:
        table_name = "product"


class BarcodeRow(_Model):
    """A barcode of a product; ``seq`` keeps the order they were given in."""

    code = peewee.TextField(primary_key=True)
    product_id = peewee.BigIntegerField()
    seq = peewee.IntegerField()

    class Meta:
        table_name = "product_barcode"


class EmployeeRow(_Model):
    """An employee with the PIN hash, failed count and lock (never the PIN)."""

    number = peewee.TextField(primary_key=True)
    name = peewee.TextField()
    role = peewee.TextField()
    active = peewee.BooleanField()
    pin_salt = peewee.BlobField()
    pin_digest = peewee.BlobField()
    failed_attempts = peewee.IntegerField()
    locked_until = peewee.TextField(null=True)

    class Meta:
        table_name = "employee"


class CustomerRow(_Model):
    """A customer; ``search_text`` is the folded number, name, phone and e-mail."""

    number = peewee.TextField(primary_key=True)
    name = peewee.TextField()
    phone = peewee.TextField()
    email = peewee.TextField()
    org_number = peewee.TextField()
    street = peewee.TextField()
    postal_code = peewee.TextField()
    city = peewee.TextField()
    search_text = peewee.TextField()
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "customer"


class MasterDataChangeRow(_Model):
    """A master-data change (append-only)."""

    id = peewee.AutoField()
    at = peewee.TextField()
    actor = peewee.TextField()
    entity = peewee.TextField()
    entity_key = peewee.TextField()
    field_name = peewee.TextField()
    old_value = peewee.TextField()
    new_value = peewee.TextField()

    class Meta:
        table_name = "master_data_change"


ALL_MODELS: tuple[type[_Model], ...] = (
    SchemaVersionRow,
    CompanyRow,
    RegisterRow,
    ArticleGroupRow,
    ProductRow,
    BarcodeRow,
    EmployeeRow,
    CustomerRow,
    MasterDataChangeRow,
)
