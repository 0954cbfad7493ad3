"""Services that fail the way real ones do: an address where nothing listens, and a server that
accepts connections and never answers (a hung S3)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.postgres import free_port


def refused_url() -> str:
    """http://127.0.0.1:<port> with nothing listening: connections are refused at once."""
    return f"http://127.0.0.1:{free_port()}"


@contextmanager
def hung_server() -> Iterator[str]:
    """Yield the URL of a server that accepts every connection, reads nothing, answers nothing."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(conn)

    thread = threading.Thread(target=accept, name="hung-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for conn in held:
            conn.close()
