from django import template

from audit.registry import sentence_for

register = template.Library()


@register.filter
def audit_sentence(action: str) -> str:
    """The Dutch sentence for an audit action code."""
    return sentence_for(action)
