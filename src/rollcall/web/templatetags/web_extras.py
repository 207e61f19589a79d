"""Small template helpers for the web app's pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current page's address with another page number, keeping its filters (e.g. ?dataset=3)."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()
