"""Middleware of the whole site, one module per concern."""
