"""Makes the client address of the current request available to the audit functions, and
writes the request's one access-log entry when the response is known."""

import ipaddress

from django.conf import settings

from audit.context import PendingAccess, request_access, request_ip
from audit.services import write_request_access


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
        pending = PendingAccess()
        access_token = request_access.set(pending)
        try:
            response = self.get_response(request)
            # Still inside the request: the entry is written before a byte of the page
            # leaves, and a failing write fails the request rather than going unlogged.
            write_request_access(request, response, pending)
            return response
        finally:
            request_access.reset(access_token)
            request_ip.reset(token)
