"""The web shop sync: stock and catalogue out, orders and customers in, customers out."""
