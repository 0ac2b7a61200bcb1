"""The domain: pure Python and the standard library only.

Nothing in this package may import Textual, Typer, peewee, a hardware library or any other
OmniPOS package; import-linter and ``tests/unit/test_layering.py`` keep it so.
"""
