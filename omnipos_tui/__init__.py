"""OmniPOS: a keyboard-driven point of sale for small Norwegian shops."""

__version__ = "0.1.0"
