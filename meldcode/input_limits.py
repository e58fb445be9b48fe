"""Every text field of every form has a maximum length (OWASP ASVS 5.1: input is bounded).

One mechanism instead of a number on each field: a form built on `BoundedForm` or
`BoundedModelForm` (or with `BoundedFormMixin` in front of another base) gives every
CharField without a max_length a sensible one, a line `LINE_MAX`, a text area `TEXT_MAX`.
Fields a form adds in its own __init__ are bounded as well, because the bounds are set
again before validation. A field that states its own max_length keeps it.

Too long a text is refused by the form with Django's Dutch message ("Zorg dat deze waarde
niet meer dan … tekens bevat"), and what was typed stays in the field: the browser is
not told to cut a text area short, which would lose pasted text without a word. NUL bytes
are refused by every CharField already (Django's ProhibitNullCharactersValidator).
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxLengthValidator

# A name, a function, a one-line answer.
LINE_MAX = 300
# A description, an argumentation, an advice: several pages of text.
TEXT_MAX = 10_000


def default_max_length(field: forms.CharField) -> int:
    return TEXT_MAX if isinstance(field.widget, forms.Textarea) else LINE_MAX


def bound_text_fields(fields) -> None:
    """Give every unbounded CharField in `fields` (a form's fields dict) its maximum."""
    for field in fields.values():
        # A UUIDField is a CharField whose value is a UUID, of a fixed length already.
        if (not isinstance(field, forms.CharField) or isinstance(field, forms.UUIDField)
                or field.max_length is not None):
            continue
        field.max_length = default_max_length(field)
        field.validators.append(MaxLengthValidator(field.max_length))
        if not isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("maxlength", str(field.max_length))


class BoundedFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_fields(self.fields)

    def full_clean(self):
        bound_text_fields(self.fields)
        super().full_clean()


class BoundedForm(BoundedFormMixin, forms.Form):
    pass


class BoundedModelForm(BoundedFormMixin, forms.ModelForm):
    pass
