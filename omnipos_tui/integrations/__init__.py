"""Network adapters behind core ports: accounting systems, web shops, carriers.

Like ``drivers`` for hardware: an adapter imports the core (ports, errors, value types) and its
HTTP library (httpx), never storage, services, the UI or the CLI; ``bootstrap`` picks them.
"""
