"""Run the app under uvicorn: in the foreground, or in a thread for embedding and tests.

Uvicorn's access log is off: query strings carry envelope addresses.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from crossguard.core.hostport import HostPort
from crossguard.errors import ConfigError


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """Uvicorn settings: no access log, no Server header, logging left to the caller."""
    logging.getLogger("uvicorn.access").disabled = True
    return uvicorn.Config(app, host=host, port=port, access_log=False, server_header=False,
                          proxy_headers=False, log_config=None, lifespan="off")


def listen_socket(listen: HostPort) -> socket.socket:
    """A socket bound to ``listen``; a ConfigError naming api.listen when it cannot be."""
    try:
        family = socket.getaddrinfo(listen.host, listen.port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as error:
        raise ConfigError(f"api.listen {listen}: cannot listen ({error})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((listen.host, listen.port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"api.listen {listen}: cannot listen ({error.strerror})") from None
    return sock


def serve(app: FastAPI, sock: socket.socket) -> None:
    """Serve on a bound socket (:func:`listen_socket`) until SIGINT or SIGTERM."""
    host, port = sock.getsockname()[:2]
    uvicorn.Server(_config(app, host, port)).run(sockets=[sock])


class BackgroundApi:
    """The app on 127.0.0.1 on a free port, served from a thread."""

    def __init__(self, app: FastAPI, host: str = "127.0.0.1") -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, 0))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        self._server = uvicorn.Server(_config(app, host, self.port))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self) -> str:
        """Start serving; return the base URL."""
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the API server did not start")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        """Stop serving and join the thread."""
        self._server.should_exit = True
        self._thread.join(30)
        self._socket.close()

    def __enter__(self) -> BackgroundApi:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
