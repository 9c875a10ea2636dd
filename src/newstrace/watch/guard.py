"""Where the watcher may connect: public addresses only, unless an allow-list names the place.

A feed is written by the sites it lists, and some of them are hostile. A link (or a redirect)
to ``http://127.0.0.1:6379/`` or to a cloud metadata address would make the watcher read the
machine's own services and store what they answer. So every connection the fetcher opens is
checked here, on the address it resolves to, and goes to the very address that was checked
(no second DNS lookup between check and connect, so a name cannot be re-bound to a private
address in between). Redirect hops open their own connections and are checked the same way.

Refused unless allowed: loopback, private (RFC 1918, unique-local), link-local, shared
(CGNAT), multicast, reserved, unspecified and documentation addresses, and IPv6 forms that
carry such an IPv4 address (``::ffff:127.0.0.1``, 6to4). Numeric spellings (``2130706433``,
``0x7f000001``, ``127.1``) are resolved by the system like any name, so they are refused too.

The allow-list (``[fetch] allow_private = ["127.0.0.1:8080", "10.0.0.5"]``) opens exactly what
it names: a host name or address, with or without a port.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["AddressPolicy", "AddressRefused", "Unresolved", "refusal"]

Resolver = Callable[[str, int], Sequence[str]]
"""``(host, port) -> addresses`` (numeric strings), in the order to try them."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A connection the policy does not allow (the reason names the address and why)."""


class Unresolved(Exception):
    """A name that resolves to nothing (now: a later try may succeed)."""


def refusal(address: str) -> str | None:
    """Why a connection to ``address`` is refused by default (None: it is a public address).

    >>> refusal("127.0.0.1")
    'a loopback address'
    >>> refusal("::ffff:10.0.0.1")
    'a private address'
    >>> refusal("93.184.216.34") is None
    True
    """
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            ip = inner
        elif ip.teredo is not None:
            return "a Teredo tunnel address"
    checks = (
        ("is_unspecified", "an unspecified address"),
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_reserved", "a reserved address"),
        ("is_private", "a private address"),
    )
    for attr, why in checks:
        if getattr(ip, attr):
            return why
    if not ip.is_global:
        return "not a public address"
    return None


def _system_resolver(timeout: float) -> Resolver:
    """``getaddrinfo`` with a deadline (it has none of its own: a hostile DNS server could
    hold a worker for minutes)."""

    def resolve(host: str, port: int) -> list[str]:
        box: dict[str, object] = {}

        def run() -> None:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                box["ok"] = [str(info[4][0]) for info in infos]
            except (OSError, UnicodeError) as exc:
                box["error"] = exc

        t = threading.Thread(target=run, name="newstrace-dns", daemon=True)
        t.start()
        t.join(timeout)
        if "ok" in box:
            return box["ok"]  # type: ignore[return-value]
        if "error" in box:
            raise Unresolved(f"{host} could not be resolved ({box['error']})")
        raise Unresolved(f"{host} could not be resolved within {timeout:g} s")

    return resolve


def _split_entry(entry: str) -> tuple[str, int | None]:
    """``"10.0.0.5"``, ``"intranet:8080"``, ``"[::1]:8080"`` -> (host, port)."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    else:  # a bare name, IPv4 address or IPv6 address
        host, port = entry, ""
    if port and not port.isdigit():
        raise ValueError(f"allow_private entry {entry!r}: the port must be a number")
    return _canonical(host), int(port) if port else None


def _canonical(host: str) -> str:
    host = host.strip("[]").lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses the fetcher may connect to.

    Attributes:
        allow: (host or address, port or None) pairs opened despite the rules above.
        resolver: how names become addresses (the system's by default).
    """

    allow: frozenset[tuple[str, int | None]] = frozenset()
    resolver: Resolver | None = None
    dns_timeout: float = 10.0

    @classmethod
    def from_config(
        cls, allow_private: Iterable[str] = (), *, resolver: Resolver | None = None,
        dns_timeout: float = 10.0,
    ) -> AddressPolicy:  # fmt: skip
        """A policy from the config's ``allow_private`` entries ("host" or "host:port").

        Raises:
            ValueError: on an entry that is not a host with an optional numeric port.
        """
        return cls(frozenset(_split_entry(e) for e in allow_private), resolver, dns_timeout)

    def allowed(self, host: str, address: str, port: int) -> bool:
        """Whether the allow-list names ``host`` (as written in the URL) or ``address``."""
        for name in {_canonical(host), _canonical(address)}:
            if (name, None) in self.allow or (name, port) in self.allow:
                return True
        return False

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for ``host:port``: the first one resolved that is public
        or allowed.

        Raises:
            AddressRefused: when none is (the reason names the address and its kind).
            Unresolved: when the name resolves to no address.
        """
        resolver = self.resolver or _system_resolver(self.dns_timeout)
        addresses = list(resolver(host, port))
        if not addresses:
            raise Unresolved(f"{host} resolves to no address")
        reasons = []
        for address in addresses:
            why = refusal(address)
            if why is None or self.allowed(host, address, port):
                return address
            reasons.append(f"{address} is {why}")
        named = "" if _canonical(host) == _canonical(addresses[0]) else f"{host}: "
        raise AddressRefused(
            f"refused, {named}{'; '.join(reasons)} (add \"{host}:{port}\" to "
            "[fetch] allow_private to fetch it)"
        )
