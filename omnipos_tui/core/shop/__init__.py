"""The seller and its tills."""
