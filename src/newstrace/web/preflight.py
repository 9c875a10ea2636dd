"""What ``newstrace serve`` checks before it says where it listens.

A server that prints its URL and then dies on a port already taken, or serves 500s over a
store that is missing or damaged, tells its user the wrong thing first. :func:`check_serve`
refuses each of these with one sentence, before anything is printed.
"""

from __future__ import annotations

import errno
import socket
from pathlib import Path

from newstrace.errors import ConfigError
from newstrace.store import Store
from newstrace.web import check_binding

__all__ = ["check_port", "check_serve"]


def check_port(host: str, port: int) -> None:
    """Refuse a ``host`` and ``port`` the server could not listen on.

    Every address ``host`` resolves to is bound once, the way uvicorn binds it (with
    ``SO_REUSEADDR``, so a port left in TIME_WAIT by a server just stopped counts as free), and
    released at once. Another process could still take the port in between; uvicorn's own
    error says so then.

    Raises:
        ConfigError: the port is in use, not permitted, or ``host`` is no address of this
            machine; the message says what to change.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(
            f"cannot listen on {host!r}: {exc.strerror}; give --host an address or name of "
            "this machine (127.0.0.1 by default)"
        ) from exc
    seen: set[tuple[int, object]] = set()
    for family, kind, proto, _, address in infos:
        if (family, address) in seen:
            continue
        seen.add((family, address))
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                raise _listen_error(host, port, exc) from exc


def _listen_error(host: str, port: int, exc: OSError) -> ConfigError:
    if exc.errno == errno.EADDRINUSE:
        return ConfigError(
            f"port {port} on {host} is already in use (another `newstrace serve`?); stop it, or "
            "pick another port with --port"
        )
    if exc.errno == errno.EACCES:
        return ConfigError(
            f"not allowed to listen on port {port} (ports below 1024 need privileges); pick "
            "another with --port"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return ConfigError(
            f"{host} is no address of this machine; give --host one that is (127.0.0.1 by default)"
        )
    return ConfigError(f"cannot listen on {host} port {port}: {exc.strerror or exc}")


def check_serve(db: str | Path, *, host: str, port: int, token: str | None) -> None:
    """Everything ``serve`` needs, checked in order before it prints its URL: a token when
    listening beyond loopback, a store that exists and is sound (opened read-only, every page
    checked as the CLI does on open), and a port it can listen on.

    Raises:
        ConfigError: no token off loopback, or the port cannot be listened on.
        StoreError: the store is missing, not a newstrace store, or damaged
            (:class:`~newstrace.errors.CorruptStoreError`).
    """
    check_binding(host, token)
    with Store(db, readonly=True, verify=True):
        pass
    check_port(host, port)
