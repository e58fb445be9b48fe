"""Shared form helpers of the dossier forms."""

from django import forms


def without_blank_radio(db_field, **kwargs):
    """`Meta.formfield_callback` for model forms: a choice shown as radio buttons never
    offers Django's empty "---------" option (a radio group has no "nothing chosen" row;
    a required choice is then simply not yet ticked)."""
    field = db_field.formfield(**kwargs)
    if field is None or not isinstance(field.widget, forms.RadioSelect):
        return field
    if isinstance(field, forms.ModelChoiceField):
        # Its choices are a query: drop the empty row without running it.
        field.empty_label = None
    elif hasattr(field, "choices"):
        field.choices = [(value, label) for value, label in field.choices
                         if value not in ("", None)]
    return field
