"""Which addresses URL ingest may reach: public ones, and whatever the allow-list names.

A URL's host is resolved here and every address it resolves to is checked; the caller then
connects to a checked address (not to the name again), so a DNS answer that changes between
the check and the connection cannot reach a refused address.
"""

import ipaddress
import socket
from dataclasses import dataclass

from app.errors import AppError, FieldProblem, problem

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Checked in this order, so 0.0.0.0 is "unspecified", not "private".
_KINDS = (
    ("unspecified", "is_unspecified"),
    ("loopback", "is_loopback"),
    ("link-local", "is_link_local"),
    ("multicast", "is_multicast"),
    ("reserved", "is_reserved"),
    ("private", "is_private"),
)


def url_refused(detail: str) -> AppError:
    """A URL that is well formed but that seircast will not fetch (422, field ``url``)."""
    return problem("url-refused", detail, [FieldProblem(detail, field="url")])


def non_public_kind(address: IPAddress) -> str | None:
    """``"loopback"``, ``"private"``, ... for an address URL ingest refuses; None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    for kind, attribute in _KINDS:
        if getattr(address, attribute):
            return kind
    return None if address.is_global else "non-public"


@dataclass(frozen=True, slots=True)
class AllowList:
    """Host names (exact, case-insensitive) and networks that may be reached anyway."""

    hosts: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, entries: list[str]) -> "AllowList":
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        return any(address.version == net.version and address in net for net in self.networks)


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an address literal is itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise url_refused(f"the host {host!r} could not be resolved: {exc}") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])  # drop a v6 zone
        if address not in addresses:
            addresses.append(address)
    return addresses


def checked_address(url: str, host: str, port: int, allow: AllowList) -> IPAddress:
    """The address to connect to for ``host``; refuses when any address it has is non-public.

    Raises:
        AppError: 422 ``url-refused`` naming the address and what kind it is.
    """
    addresses = resolve(host, port)
    if not addresses:
        raise url_refused(f"the host {host!r} has no address")
    for address in addresses:
        kind = non_public_kind(address)
        if kind is not None and not allow.allows(host, address):
            named = host if host == str(address) else f"{host} ({address})"
            raise url_refused(
                f"{url} points to a {kind} address, {named}; URL ingest reaches only public "
                "addresses unless SEIRCAST_URL_ALLOWED_HOSTS names the host or its network"
            )
    return addresses[0]
