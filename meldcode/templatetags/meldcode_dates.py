"""The one way dates are written in every template: `{{ day|datum }}` ("1 december 2026")
and `{{ moment|datum_tijd }}` ("1 december 2026 14:05"). Loaded as a builtin (settings).
Machine-readable values (`<time datetime>`, form inputs) keep `|date:'c'` / `'Y-m-d'`."""

from django import template

from meldcode.workdays import day_label, moment_label

register = template.Library()


@register.filter(is_safe=False)
def datum(value) -> str:
    return day_label(value)


@register.filter(is_safe=False)
def datum_tijd(value) -> str:
    return moment_label(value)
