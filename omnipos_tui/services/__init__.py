"""Use cases the till and the CLI call. Services import the core only (and python-stdnum)."""
