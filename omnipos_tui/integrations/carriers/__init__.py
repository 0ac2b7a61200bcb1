"""Carrier adapters behind ``core.orders.shipping.Carrier``: Bring's Tracking API v2
(:mod:`.bring`) and a simulated carrier that plays realistic event sequences for the demo
and the tests (:mod:`.simulated`). The ``manual`` carrier has no adapter: the shop types
its status."""
