"""The URLs of the decisions app, one list per subdomain (weighing, help, reports)."""

urlpatterns: list = []
