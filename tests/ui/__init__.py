"""Tests of the Textual till (a package so its conftest and helpers have unique names)."""
