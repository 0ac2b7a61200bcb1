"""The shop's customer register."""
