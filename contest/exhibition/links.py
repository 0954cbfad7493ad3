"""The addresses the exhibition prints and shows: a poster's page and a kiosk screen.

Every QR code is made from the public address (CONTEST_BASE_URL). Outside demo mode a code that
points at this machine would open nothing on a visitor's phone, so it is refused with the name
of the setting to fix. "This machine" is decided as a browser and the resolver would decide
it, not by spelling: every form of an IPv4 address inet_aton reads (127.1, 2130706433,
0x7f000001, 0), IPv6 and IPv4-mapped forms ([::1], [::ffff:127.0.0.1]), localhost with or
without its final dot and its subdomains, and any name that resolves only to such addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Late
from functools import cache
from urllib.parse import urlsplit

from contest.core.config import Settings
from contest.core.errors import InvalidState

KIOSK_PATH = "kiosk"
KIOSK_PARAM = "screen"
RESOLVE_SECONDS = 2.0  # the resolver's deadline: a name it cannot answer for is not refused
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _local(address: Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_loopback or address.is_unspecified


def _literal(host: str) -> Address | None:
    """``host`` read as an address literal the way browsers read one, else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))  # 127.1, 2130706433, 0x7f.1, 0
    except OSError:
        return None


def _resolved(host: str) -> list[Address]:
    """The addresses ``host`` resolves to within the deadline; [] if it does not."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        found = pool.submit(socket.getaddrinfo, host, None).result(timeout=RESOLVE_SECONDS)
    except (Late, OSError, UnicodeError):
        return []
    finally:
        pool.shutdown(wait=False)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


@cache
def _host_is_local(host: str) -> bool:
    host = host.rstrip(".").lower()
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    literal = _literal(host)
    if literal is not None:
        return _local(literal)
    addresses = _resolved(host)
    return bool(addresses) and all(_local(address) for address in addresses)


def is_local(address: str) -> bool:
    """Whether ``address`` (a URL) names this machine only (no phone at the venue reaches it)."""
    try:
        host = urlsplit(address).hostname or ""
    except ValueError:  # a malformed address reaches nothing
        return True
    return _host_is_local(host)


def public_base(settings: Settings) -> str:
    """The public address, or InvalidState outside demo mode when it names this machine."""
    base = settings.base_url.rstrip("/")
    if not settings.demo and is_local(base):
        raise InvalidState("error.exhibition.local_address", address=base)
    return base


def poster_link(settings: Settings, entry_id: int) -> str:
    """What a poster's QR code opens (labels, the admin's single code, kiosk screens)."""
    public_base(settings)
    return settings.entry_link(entry_id)


def kiosk_link(settings: Settings, token: str) -> str:
    """A kiosk screen's link: the token after '#', which browsers never send to a server, so no
    access log or proxy ever holds it (ui/screen_token.py moves it into a cookie)."""
    return f"{public_base(settings)}/{KIOSK_PATH}#{KIOSK_PARAM}={token}"
