"""Accounting systems behind :class:`~omnipos_tui.core.accounting.ports.AccountingSystem`:
CSV files (any other system), Fiken, Tripletex; and the SAF-T Financial export."""
