"""A TCP proxy on 127.0.0.1 that can cut the line: between some tills and their PostgreSQL
server, for the load driver's faults (``./scripts/bench tills --faults``) and the tests of
the till during an outage.

``cut()`` ends every connection through it at once (both sides see the socket close, as
when a cable is pulled and the kernel gives up) and refuses new ones (they are accepted and
closed at once, so libpq reports "server closed the connection unexpectedly") until
``restore()``. Standard library only; a thread per direction of each connection. Only ever
listens on and connects to loopback addresses.
"""

from __future__ import annotations

import contextlib
import socket
import threading

_CHUNK = 65_536


class FaultProxy:
    """Forwards ``127.0.0.1:port`` to ``target``, until it is cut.

    Args:
        target_port: The server's port on 127.0.0.1.
        target_host: The server's loopback address.
    """

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        if not target_host.startswith("127.") and target_host != "localhost":
            raise ValueError("the fault proxy forwards to loopback addresses only")
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._up = True
        self._stopped = False
        self.cuts = 0
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)

    def start(self) -> FaultProxy:
        """Start accepting; returns itself."""
        self._thread.start()
        return self

    @property
    def up(self) -> bool:
        """Whether the line is connected."""
        return self._up

    def cut(self) -> None:
        """Close every connection through the proxy and refuse new ones."""
        with self._lock:
            self._up = False
            self.cuts += 1
            doomed = list(self._open)
            self._open.clear()
        for sock in doomed:
            _close(sock)

    def restore(self) -> None:
        """Let connections through again."""
        with self._lock:
            self._up = True

    def stop(self) -> None:
        """Stop the proxy and close everything."""
        self._stopped = True
        self.cut()
        _close(self._listener)
        self._thread.join(timeout=5)

    def url(self, url: str) -> str:
        """``url`` (a postgresql:// URL to the target's port) led through this proxy."""
        port = f":{self._target[1]}/"
        if port not in url:
            raise ValueError(f"{url} does not name port {self._target[1]}")
        return url.replace(port, f":{self.port}/", 1)

    # --- inside -------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._up:
                _close(client)
                continue
            try:
                server = socket.create_connection(self._target, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if not self._up:
                    _close(client)
                    _close(server)
                    continue
                self._open.update((client, server))
                self.connections += 1
            for source, sink in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), name="fault-proxy-pump", daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(_CHUNK)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(source)
                self._open.discard(sink)
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
