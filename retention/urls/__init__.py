"""The URLs of the vernietigingslijst and the board's bewaartermijnen."""

from django.urls import path

from retention.views import items, policies

urlpatterns = [
    path("", items.destruction_list, name="destruction_list"),
    path("<uuid:item_id>/", items.destruction_detail, name="destruction_detail"),
    path("<uuid:item_id>/bevestigen/", items.destruction_confirm, name="destruction_confirm"),
    path("<uuid:item_id>/bewaren/", items.legal_hold_place, name="legal_hold_place"),
    path("bewaarreden/<uuid:hold_id>/opheffen/", items.legal_hold_lift,
         name="legal_hold_lift"),
    path("termijnen/", policies.retention_policy_index, name="retention_policy_index"),
    path("termijnen/<uuid:board_id>/", policies.retention_policy_edit,
         name="retention_policy_edit"),
]
