"""Ringing up, paying, parking, returning and completing sales at a till."""
