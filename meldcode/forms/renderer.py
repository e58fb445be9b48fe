"""The form renderer: Django's, with `<select>` written in Python.

Django renders a select through one template include per option. A role's place (every
school of a board), a person or a school year made a page cost a tenth of a millisecond
per option, and a board of 50 schools grew its beheer pages 2.4-fold. The markup is
byte-for-byte what Django's templates (django/forms/widgets/select.html, select_option.html,
attrs.html) write; any other widget, or a select with its own option template, is
rendered by the templates as before.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items() if value is not False)


def _select(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            value, label = conditional_escape(str(option["value"])), conditional_escape(
                option["label"])
            # The option template ends in a line end of its own.
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and "optgroups" in widget and all(
                option["template_name"] == OPTION
                for _name, options, _index in widget["optgroups"] for option in options):
            return _select(widget)
        return super().render(template_name, context, request)
