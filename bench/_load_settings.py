"""Settings for the dashboard load bench: the real settings plus one bench-only URL.

gunicorn serves `roundtable.wsgi:application` with DJANGO_SETTINGS_MODULE set to
this module, so the minimal reference view goes through exactly the middleware,
database and cache configuration that the public dashboard does. Nothing here
is part of Roundtable itself (the leading underscore keeps `python -m bench`
from taking it for a bench).
"""

from roundtable.settings import *  # noqa: F403 -- the real settings, unchanged

ROOT_URLCONF = "bench._load_urls"
