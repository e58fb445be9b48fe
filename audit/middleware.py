"""Makes the client address of the current request available to the audit functions."""

import ipaddress

from django.conf import settings

from audit.context import request_ip


def client_address(request) -> str | None:
    """The address of the client, also behind the configured number of reverse proxies.

    Each trusted proxy appends the address it received the request from, so the client is
    the n-th entry from the right; anything further left was written by the client itself
    and cannot be trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)
