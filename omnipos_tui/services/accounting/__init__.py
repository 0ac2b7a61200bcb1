"""Accounting use cases: a Z report's voucher queued in the Z's own commit, delivered by the
worker through an accounting system, and what ``omnipos accounting`` reads."""
