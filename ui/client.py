"""Where a session's browser connects from, for sign-in throttling (accounts/throttle.py).

Streamlit reports the peer of the WebSocket (``st.context.ip_address``; None for a loopback
peer). Behind nginx that peer is the proxy; then, and only then, the client is the last address
in X-Forwarded-For that is not a trusted proxy itself (``CONTEST_TRUSTED_PROXIES``): nginx
appends the address it saw, so what a browser writes into the header is left of it and never
read. A header from anyone else is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import cache

import streamlit as st

from ui.runtime import get_runtime

_LOOPBACK = "127.0.0.1"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part
    )


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(peer: str | None, forwarded: list[str], trusted: str) -> str:
    """The client's address from the connection's ``peer`` and the X-Forwarded-For values."""
    proxies = _networks(trusted)
    current = _address(peer or _LOOPBACK)
    hops = [hop for value in forwarded for hop in value.split(",")]
    while current is not None and any(current in net for net in proxies) and hops:
        current = _address(hops.pop())
    return str(current) if current is not None else ""


def this_client() -> str:
    """This session's client address (see client_address)."""
    headers = st.context.headers
    forwarded = headers.get_all("X-Forwarded-For") if hasattr(headers, "get_all") else []
    trusted = get_runtime().settings.trusted_proxies
    return client_address(st.context.ip_address, list(forwarded), trusted)
