"""Redacting personal details from free text before it is shown in public.

(Helper B replaces this with the full implementation; the signature stays.)
"""

from __future__ import annotations


def redact(text: str) -> str:
    raise NotImplementedError
