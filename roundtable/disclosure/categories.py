"""Categories never published: sensitive offences (sexual offences, domestic
violence, offences against children, trafficking; `incidents.offences`)."""

from __future__ import annotations


def is_sensitive_offence(code: str) -> bool:
    """Whether incidents of this common offence are left out of every public
    figure. An unknown code counts as sensitive: nothing unvetted is published."""
    # Imported here: offences is pure Python, but disclosure must stay importable
    # from any app without pulling incidents in at import time.
    from roundtable.incidents import offences

    found = offences.BY_CODE.get(code)
    return True if found is None else found.sensitive
