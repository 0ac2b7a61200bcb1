"""Stock: the ledger of moves between locations, balances, moving average cost, and the
documents that cause moves (goods receipts, transfers, counts, purchase orders). Pure rules
only; the use cases are in ``services/stock`` and the atomic balance updates in ``storage``.
"""
