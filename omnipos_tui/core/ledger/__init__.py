"""The legal core: completed transactions, the journal and the signature chain."""
