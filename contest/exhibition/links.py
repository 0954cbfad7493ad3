"""The addresses the exhibition prints and shows: a poster's page and a kiosk screen.

Every QR code is made from the public address (CONTEST_BASE_URL). Outside demo mode a code that
points at this machine (localhost, 127.x) would open nothing on a visitor's phone, so it is
refused with the name of the setting to fix.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from contest.core.config import Settings
from contest.core.errors import InvalidState

KIOSK_PATH = "kiosk"
KIOSK_PARAM = "screen"


def is_local(address: str) -> bool:
    """Whether ``address`` names this machine only (no phone at the venue can reach it)."""
    host = (urlsplit(address).hostname or "").lower()
    if host in ("", "localhost", "0.0.0.0") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
