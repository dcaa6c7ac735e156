"""SSRF protection for outgoing requests to user-supplied URLs (webhook endpoints).

A webhook URL is chosen by a tenant, so without a guard a tenant could make our worker
call the cloud metadata service, the database or anything else on our private network.
The rule: only http(s); the host is resolved once, every address it resolves to must be
public, and the connection goes to exactly the address that was checked (see
`app.kit.http.PinnedTransport`), so a DNS answer that changes between check and connect
(DNS rebinding) cannot slip through.
"""

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

# Beyond what `ipaddress.is_global` already excludes: multicast is "global" by its rules
# but never a legitimate webhook target.
_IPv4 = ipaddress.IPv4Address
_IPv6 = ipaddress.IPv6Address


class BlockedAddress(Exception):
    """The target resolves to an address we refuse to connect to."""


def address_is_public(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4 and IPv6)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, _IPv6):
        # An IPv6 address can carry an IPv4 one (::ffff:127.0.0.1, 6to4, Teredo, NAT64);
        # judge the embedded address, which is where the packets really go.
        embedded: _IPv4 | None = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is None and ip in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = _IPv4(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not address_is_public(str(embedded)):
            return False
    return bool(
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_unspecified
        and not ip.is_private
    )


async def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """Resolve `host` once; all addresses must be public unless `allow_private`.

    Returns the addresses to connect to, in the resolver's order. Raises BlockedAddress
    or socket.gaierror.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = []
        for info in infos:
            addr = str(info[4][0])
            if addr not in addresses:
                addresses.append(addr)
    if not addresses:
        raise socket.gaierror(f"no address for {host}")
    if not allow_private:
        # Every address, not just the first: a host with one public and one private
        # address would otherwise reach the private one on a retry or failover.
        for addr in addresses:
            if not address_is_public(addr):
                raise BlockedAddress(
                    f"Zieladresse {addr} von {host} ist nicht öffentlich erreichbar (Schutz vor internen Zugriffen)"
                )
    return addresses


async def check_target_url(url: str, *, allow_private: bool) -> str:
    """Validate a webhook URL when it is saved; returns the URL or raises ValueError (German)."""
    url = url.strip()
    if len(url) > 2000:
        raise ValueError("Die URL ist zu lang (höchstens 2000 Zeichen)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValueError("Keine gültige URL") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("Nur http- und https-URLs sind erlaubt")
    if not parts.hostname:
        raise ValueError("Die URL braucht einen Hostnamen")
    if parts.username or parts.password:
        raise ValueError("Zugangsdaten in der URL sind nicht erlaubt; nutzen Sie die Signatur zur Prüfung")
    if allow_private:
        return url
    try:
        await resolve(parts.hostname, port or (443 if parts.scheme == "https" else 80), allow_private=False)
    except BlockedAddress as exc:
        raise ValueError(str(exc)) from None
    except (socket.gaierror, UnicodeError):
        raise ValueError(f"Der Hostname {parts.hostname} lässt sich nicht auflösen") from None
    return url
