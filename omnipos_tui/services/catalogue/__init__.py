"""Catalogue use cases and the product CSV format."""
