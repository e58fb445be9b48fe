"""Response headers that hold for the whole site."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInUsersMiddleware:
    """Nothing shown to a signed-in user is kept in a browser's or a proxy's cache.

    School computers are shared: after logging out, "back" or the history must not bring
    a case page, an observation or a search result back. Static files are served before
    this middleware (WhiteNoise) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            # For HTTP/1.0 caches, which do not read Cache-Control.
            response["Pragma"] = "no-cache"
        return response
