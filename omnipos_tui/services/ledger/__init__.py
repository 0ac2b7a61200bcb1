"""The steps every ledger use case shares, the journal, keys and the SAF-T export."""
