"""X and Z reports: what they count, hold, print and store."""
