"""Audit actions of the decisions app, one module per
subdomain (weighing, help, reports, documents)."""
