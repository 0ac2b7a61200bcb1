"""Stock use cases: posting a sale's moves, the answers (show, list, history, value),
verify and rebuild, locations, suppliers, purchase orders, goods receipts, transfers and
counts."""
