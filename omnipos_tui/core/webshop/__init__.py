"""The web shop: one stock, one customer register and one order register with the till."""
