"""A sale in progress, its lines, returns, tenders, snapshot and receipt."""
