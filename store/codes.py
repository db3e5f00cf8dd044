"""Resume codes and workshop join codes.

A resume code is the only key to a firm's assessment, so it is random (``secrets``), shown
once and stored only as a hash. 12 characters from a 31-letter alphabet carry ~59 bits:
far beyond online guessing, which is why a fast sha256 is enough here (argon2 is for
low-entropy passwords). The alphabet leaves out 0/O and 1/I/L so a code read aloud or
copied from paper survives; input is accepted in any case, with or without dashes or spaces.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RESUME_LENGTH = 12
JOIN_LENGTH = 6
_SEPARATORS = re.compile(r"[\s\-_.]+")


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_resume_code() -> str:
    """``ABCD-EFGH-JKMN``: three groups of four, easy to read out and to type."""
    raw = _random(RESUME_LENGTH)
    return "-".join(raw[i : i + 4] for i in range(0, RESUME_LENGTH, 4))


def new_join_code() -> str:
    """Six characters for a projector screen; unique among workshops (the store retries)."""
    return _random(JOIN_LENGTH)


def normalise(code: str | None, length: int) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours."""
    if not isinstance(code, str):
        return None
    raw = _SEPARATORS.sub("", code).upper()
    if len(raw) != length or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def resume_hash(code: str | None) -> bytes | None:
    """sha256 of the canonical code (32 bytes), or None for something that is not a resume code."""
    raw = normalise(code, RESUME_LENGTH)
    if raw is None:
        return None
    return hashlib.sha256(b"sme-resume:" + raw.encode("ascii")).digest()


def normalise_join(code: str | None) -> str | None:
    return normalise(code, JOIN_LENGTH)


def pseudonym(secret: bytes, assessment_id: int) -> str:
    """The id an export shows for an assessment: a keyed BLAKE2b MAC, 16 hex digits."""
    return hashlib.blake2b(str(assessment_id).encode(), key=secret, digest_size=8).hexdigest()


def pseudonyms(secret: bytes, assessment_ids: list[int | None]) -> list[str | None]:
    """``pseudonym`` of many ids (None stays None): the keyed state is set up once and
    copied per id, which skips hashing the key block a million times (same MACs)."""
    keyed = hashlib.blake2b(key=secret, digest_size=8)
    out: list[str | None] = []
    append = out.append
    for value in assessment_ids:
        if value is None:
            append(None)
            continue
        h = keyed.copy()
        h.update(str(value).encode())
        append(h.hexdigest())
    return out
