"""Receipt codes: what a person keeps to follow the answer to what they said.

Ten characters of Crockford's base 32 (digits and letters without I, L, O, U),
drawn from the operating system's random source: 32**10, about 10**15 codes,
so guessing one that exists is hopeless even with millions stored. Shown as
two groups of five ("7K3MQ-9XD2F"); read back forgivingly, since people copy
them by hand: case, spaces and dashes are ignored, and I/L read as 1, O as 0.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The stored form of a code as someone typed it, or "" if it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch not in " -\t").translate(_READ_AS)
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == LENGTH else code
