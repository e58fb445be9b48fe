"""Template helpers for the observations panel on the case page."""

from django import template

from cases.selectors import observations as selectors_observations

register = template.Library()


@register.simple_tag
def case_observations(case, user):
    """{% case_observations case request.user as panel %}: submitted ones and own drafts."""
    return selectors_observations.case_panel(case, user)
