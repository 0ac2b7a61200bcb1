"""The outbox: delivering what use cases queued for the outside world (``core.outbox``)."""
