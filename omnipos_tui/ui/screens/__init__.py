"""The till's screens: log-in, sale and help; each is driven by the key map."""
