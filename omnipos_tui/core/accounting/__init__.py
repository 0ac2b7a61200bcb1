"""Accounting: the settlement voucher (dagsoppgjør) built from a settlement's own figures,
the account map, and the port the accounting systems are reached through."""
