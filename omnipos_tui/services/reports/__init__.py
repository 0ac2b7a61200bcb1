"""X and Z reports and sales summaries."""
