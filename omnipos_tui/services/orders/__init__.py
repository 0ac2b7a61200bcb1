"""Customer orders and shipments: the use cases (take, reserve, pick, ship, track, cancel,
the till's pick-up)."""
