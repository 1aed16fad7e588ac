from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.caches, deploy=True)
def shared_cache_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Rate limits count in the cache; a per-process cache multiplies every limit
    by the number of worker processes."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.PRODUCTION and backend.endswith("LocMemCache"):
        return [
            Error(
                "Production needs a shared cache for rate limits.",
                hint="Set REDIS_URL.",
                id="roundtable.E001",
            )
        ]
    return []
