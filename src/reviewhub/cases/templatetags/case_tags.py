"""Small display helpers for case pages."""

from django import template

register = template.Library()

_TAGS = {
    "overdue": ("govuk-tag--red", "Overdue"),
    "missed": ("govuk-tag--orange", "Missed"),
    "due-soon": ("govuk-tag--yellow", "Due soon"),
    "running": ("govuk-tag--blue", "Running"),
    "met": ("govuk-tag--green", "Met"),
    "not-started": ("govuk-tag--grey", "Not started"),
}


@register.filter
def clock_class(status) -> str:
    """Return the GOV.UK tag colour for a clock status."""
    return _TAGS.get(str(status), ("govuk-tag--grey", ""))[0]


@register.filter
def clock_word(status) -> str:
    """Return the short word for a clock status."""
    return _TAGS.get(str(status), ("", str(status)))[1]
