"""``{% load inbound %}{% if user|may_use_holding_pen %}``: the nav's holding pen link."""

from django import template

from responses_app.access import can_use_holding_pen

register = template.Library()


@register.filter
def may_use_holding_pen(user) -> bool:
    return can_use_holding_pen(user)
