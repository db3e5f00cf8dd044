"""Profile values the store accepts: the ids of scoring.profile's reference lists only.

The pages offer only these in their select boxes, but the store is the last line: an
import, the CLI or a crafted request must not put an unknown province or a formula into a
column that staff filter, group and export by.
"""

from __future__ import annotations

from scoring.model import FirmProfile
from scoring.profile import load_profile_reference
from store.errors import InvalidValue

MAX_NAME = 200  # the firm_name column's length


def _known(field: str, value: str | None, ids: list[str]) -> None:
    if value is None:
        return
    if not isinstance(value, str) or value not in ids:
        shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
        raise InvalidValue(f"{field} {value!r} is not a known id (expected one of {shown})")


def check_profile(profile: FirmProfile) -> None:
    """Raise ``InvalidValue`` naming the field when a value is not a known id."""
    ref = load_profile_reference()
    _known("province", profile.province, [p.id for p in ref.provinces])
    _known("sector", profile.sector, [s.id for s in ref.sectors])
    _known("size_band", profile.size_band, [b.id for b in ref.size_bands])
    if profile.name is not None and len(profile.name) > MAX_NAME:
        raise InvalidValue(f"name is {len(profile.name)} characters; the limit is {MAX_NAME}")
    if profile.staff is not None and profile.staff > 10_000_000:
        raise InvalidValue(f"staff {profile.staff} is not a plausible number of employees")


__all__ = ["check_profile"]
