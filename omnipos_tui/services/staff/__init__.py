"""Staff use cases: employees, PINs, log-in and approval."""
