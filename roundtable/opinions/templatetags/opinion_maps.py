"""`{% opinion_map_svg map public=True %}`: the opinion map's SVG in a template."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from roundtable.opinions.map_svg import OpinionMapLike, render_map

register = template.Library()


@register.simple_tag
def opinion_map_svg(opinion_map: OpinionMapLike, public: bool = True) -> SafeString:
    """Public unless told otherwise: a template that forgets the flag shows no numbers."""
    return render_map(opinion_map, public=bool(public))
