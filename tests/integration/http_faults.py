"""A small HTTP proxy on 127.0.0.1 in front of a real web shop, for the fault tests: it
forwards every request to the shop as it came (the ``Host`` header kept, so the shop's own
links point back through the proxy) unless a fault is armed for it. A fault answers with a
status (and ``Retry-After``), or stalls past the client's timeout; with ``forward`` the
shop does the work first and only its answer is lost, as when a connection drops after
the request arrived. Real sockets and real HTTP on both sides: nothing is mocked.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@dataclass
class Fault:
    """What to do instead of (or after) forwarding matching requests.

    Attributes:
        method: The HTTP method it matches ("" any).
        path: A prefix of the path it matches ("" any).
        status: The answer's status (0: the shop's answer, after ``stall_s``).
        stall_s: Seconds to wait before answering.
        retry_after: The ``Retry-After`` header to send.
        forward: Forward to the shop first (its answer is then lost).
        times: How many requests it still applies to.
        call: Run before the request is forwarded (something happening meanwhile).
    """

    method: str
    path: str
    status: int = 0
    stall_s: float = 0.0
    retry_after: str | None = None
    forward: bool = False
    times: int = 1
    call: Callable[[], None] | None = None


@dataclass(frozen=True, slots=True)
class Seen:
    """A request the proxy answered: method, path (with query) and the status it got."""

    method: str
    path: str
    status: int
    forwarded: bool


class FaultProxy:
    """Forwards to ``target``; see :meth:`fail` and :meth:`stall`."""

    def __init__(self, target: str) -> None:
        self._target = target.rstrip("/")
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.seen: list[Seen] = []
        self._client = httpx.Client(base_url=self._target, timeout=60)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                proxy.handle(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: str | None = None,
        forward: bool = False,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status``."""
        with self._lock:
            self._faults.append(Fault(method, path, status, 0.0, retry_after, forward, times))

    def stall(
        self, method: str, path: str, seconds: float, *, times: int = 1, forward: bool = False
    ) -> None:
        """Hold the next ``times`` matching requests for ``seconds`` before answering."""
        with self._lock:
            self._faults.append(Fault(method, path, 0, seconds, None, forward, times))

    def before(self, method: str, path: str, call: Callable[[], None]) -> None:
        """Run ``call`` when the next matching request arrives, then forward it."""
        with self._lock:
            self._faults.append(Fault(method, path, call=call))

    def count(self, method: str, path: str, status: int | None = None) -> int:
        """Requests seen for ``method`` and a path starting with ``path``."""
        return sum(
            1
            for s in self.seen
            if s.method == method
            and s.path.startswith(path)
            and (status is None or s.status == status)
        )

    def _fault_for(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times > 0 and fault.method in ("", method) and path.startswith(fault.path):
                    fault.times -= 1
                    return fault
        return None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        method, path = request.command, request.path
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        fault = self._fault_for(method, path)
        if fault is not None and fault.call is not None:
            fault.call()
        status, headers, content = 0, {"Content-Type": "application/json"}, b""
        forwarded = fault is None or fault.forward or not fault.status
        if forwarded:
            answer = self._client.request(
                method,
                path,
                content=body,
                headers={k: v for k, v in request.headers.items() if k.lower() not in _HOP},
            )
            status, content = answer.status_code, answer.content
            headers = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP}
        if fault is not None and fault.status:
            status = fault.status
            content = json.dumps({"detail": f"injected {fault.status}"}).encode()
            headers = {"Content-Type": "application/json"}
            if fault.retry_after is not None:
                headers["Retry-After"] = fault.retry_after
        with self._lock:
            self.seen.append(Seen(method, path, status, forwarded))
        if fault is not None:
            time.sleep(fault.stall_s)
        try:
            request.send_response(status)
            for key, value in headers.items():
                request.send_header(key, value)
            request.send_header("Content-Length", str(len(content)))
            request.end_headers()
            request.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a stall past its timeout)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()


@contextmanager
def fault_proxy(target: str) -> Iterator[FaultProxy]:
    """A running proxy in front of ``target``; stopped afterwards."""
    proxy = FaultProxy(target)
    proxy._thread.start()
    try:
        yield proxy
    finally:
        proxy.close()
