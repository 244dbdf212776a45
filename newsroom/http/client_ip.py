"""The reader's address, as django-axes counts failed logins by it."""

from ipaddress import IPv6Address, ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, unless that is one of TRUSTED_PROXIES: then X-Forwarded-For is read from
    the right (each proxy appends the address it was reached from), past further trusted
    proxies, to the first address none of them is. Entries left of it are the client's to
    invent, and so is the whole header when a client reaches the app directly. A malformed
    entry ends the walk at the trusted proxy that passed it on."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    while hops and is_trusted_proxy(address):
        try:
            address = str(ip_address(hops.pop().strip()))
        except ValueError:
            break
    return address


def is_trusted_proxy(address: str) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    # A server listening on IPv6 sees IPv4 peers as ::ffff:a.b.c.d.
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in settings.TRUSTED_PROXIES)
