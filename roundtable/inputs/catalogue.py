"""Fixed wording used when staff record input: the scanning interview guide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The four questions of a scanning interview or call, in the order asked.
INTERVIEW_GUIDE = [
    ("concerns", _("What are the public safety concerns of the people you work with?")),
    ("relationship", _("How would you describe the relationship between police and community?")),
    ("data", _("What data does your organisation hold that could help?")),
    ("improve", _("What should improve?")),
]
INTERVIEW_KEYS = tuple(key for key, _label in INTERVIEW_GUIDE)
