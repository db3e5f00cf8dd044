"""Bulk imports: responses collected elsewhere, stored as submitted assessments in one go.

A mixin of ``store.repository.Store`` (which provides ``read``, ``write``, ``clock``,
``layout_id`` and ``tag_slots``). The file is read and checked first (store/mapping.py,
scoring/intake.py); only good rows reach ``import_assessments``, which

- scores every row with the engine (the single truth) before anything is written;
- writes the batch, the assessments, which file row each came from and the summaries in
  **one transaction**: a failure anywhere (a database error, a row the engine refuses)
  rolls all of it back, so nothing is ever half-imported;
- refuses a file already imported for the same questionnaire (its SHA-256) unless the
  caller says to import it again (``DuplicateImport`` names the earlier import).

An imported row is pooled only when the file's consent column says so (default: not
pooled). It gets a random resume-code hash nobody can resume with, no firm name (the staff
pages never show one, so an import does not keep one) and the round "baseline".

The column mapping a staff member chose is remembered per questionnaire and header set
(``import_mappings``), so the next export from the same form maps itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, insert, select, update

from scoring.codec import codec_for
from scoring.engine import AnswerError, score_assessment
from scoring.model import Questionnaire
from store import summary
from store.db import dump_json
from store.errors import InvalidValue, NotFound, StoreError
from store.mapping import ColumnMapping, GoodRow, header_key
from store.models import assessments, import_batches, import_mappings, import_rows, questionnaire_versions
from store.records import SUBMITTED
from store.validation import check_profile

if TYPE_CHECKING:
    from scoring.engine import Result

a = assessments
ib = import_batches
IMPORT_LOCK = 0x534D4534  # pg_advisory_xact_lock key: imports one at a time (the duplicate check holds)
CHUNK = 2_000  # ids per statement (SQLite binds at most 32 766 parameters)


@dataclass(frozen=True)
class ImportBatch:
    id: int
    questionnaire_id: str
    questionnaire_version: str
    file_name: str
    file_hash: str
    imported: int
    pooled: int
    skipped: int
    imported_by: str | None
    imported_at: datetime


class DuplicateImport(StoreError):
    """This file was imported before for this questionnaire; ``earlier`` says when and by whom."""

    def __init__(self, earlier: ImportBatch) -> None:
        self.earlier = earlier
        super().__init__(
            f"{earlier.file_name!r} was imported before (import {earlier.id}, {earlier.imported} rows); "
            "confirm to import it again"
        )


def _batch(row: Any) -> ImportBatch:
    m = row._mapping
    return ImportBatch(
        id=int(m["id"]), questionnaire_id=m["questionnaire_id"], questionnaire_version=m["version"],
        file_name=m["file_name"], file_hash=m["file_hash"], imported=int(m["imported"]), pooled=int(m["pooled"]),
        skipped=int(m["skipped"]), imported_by=m["imported_by"], imported_at=m["imported_at"],
    )


_BATCHES = select(ib, questionnaire_versions.c.version).join(
    questionnaire_versions, questionnaire_versions.c.id == ib.c.layout_id
)


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]


class Imports:
    # provided by store.repository.Store
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

        def layout_id(self, questionnaire: Questionnaire) -> int: ...

        def tag_slots(self) -> dict[str, int]: ...

    # ------------------------------------------------------------ mappings

    def import_mapping(self, questionnaire_id: str, headers: Sequence[str]) -> ColumnMapping | None:
        """The mapping last saved for this questionnaire and set of headers, if any."""
        key = header_key(headers)
        with self.read() as conn:
            found = conn.execute(
                select(import_mappings.c.mapping).where(
                    import_mappings.c.questionnaire_id == questionnaire_id, import_mappings.c.header_key == key
                )
            ).scalar()
        return ColumnMapping.from_json(found)

    def save_import_mapping(self, questionnaire_id: str, headers: Sequence[str], mapping: ColumnMapping, user: str | None = None) -> None:
        key = header_key(headers)
        values = {"mapping": mapping.to_json(), "updated_by": user, "updated_at": self.clock()}
        with self.write() as conn:
            done = conn.execute(
                update(import_mappings)
                .where(import_mappings.c.questionnaire_id == questionnaire_id, import_mappings.c.header_key == key)
                .values(**values)
            ).rowcount
            if not done:
                conn.execute(insert(import_mappings).values(questionnaire_id=questionnaire_id, header_key=key, **values))

    # ------------------------------------------------------------ batches

    def imports_of_file(self, digest: str, questionnaire_id: str | None = None) -> list[ImportBatch]:
        """Earlier imports of a file with this SHA-256 (of this questionnaire), newest first."""
        stmt = _BATCHES.where(ib.c.file_hash == digest).order_by(ib.c.id.desc())
        if questionnaire_id is not None:
            stmt = stmt.where(ib.c.questionnaire_id == questionnaire_id)
        with self.read() as conn:
            return [_batch(r) for r in conn.execute(stmt)]

    def list_imports(self, questionnaire_id: str | None = None, limit: int = 50) -> list[ImportBatch]:
        stmt = _BATCHES.order_by(ib.c.id.desc()).limit(limit)
        if questionnaire_id is not None:
            stmt = stmt.where(ib.c.questionnaire_id == questionnaire_id)
        with self.read() as conn:
            return [_batch(r) for r in conn.execute(stmt)]

    def import_assessments(
        self,
        questionnaire: Questionnaire,
        rows: Sequence[GoodRow],
        *,
        file_name: str,
        file_hash: str,
        user: str | None = None,
        skipped: int = 0,
        language: str = "vi",
        allow_duplicate: bool = False,
    ) -> ImportBatch:
        """Store ``rows`` (checked by ``store.mapping.check``) as submitted assessments of
        ``questionnaire``, all in one transaction with their batch and the summaries.

        Raises ``DuplicateImport`` when this file (``file_hash``) was imported before for the
        questionnaire and ``allow_duplicate`` is false; ``InvalidValue`` naming the file row
        when a row cannot be stored (nothing is stored then)."""
        if not rows:
            raise InvalidValue("no row to import")
        if language not in ("vi", "en"):
            raise InvalidValue(f"language {language!r}: choose vi or en")
        name = (file_name or "").strip()[:255] or "?"
        layout = self.layout_id(questionnaire)
        slots = self.tag_slots()
        codec = codec_for(questionnaire)
        now = self.clock()
        from store.repository import score_values

        values: list[dict[str, Any]] = []
        for good in rows:
            row = good.intake
            try:
                check_profile(row.profile)
                result: Result = score_assessment(questionnaire, dict(row.answers))
            except (AnswerError, InvalidValue) as exc:
                why = "; ".join(exc.problems) if isinstance(exc, AnswerError) else str(exc)
                raise InvalidValue(f"row {good.row}: {why}") from None
            packed, extra = codec.encode(dict(row.answers))
            when = good.submitted_at or now
            values.append({
                "status": SUBMITTED, "consent": bool(row.consent), "consent_at": now if row.consent else None,
                "layout_id": layout, "province": row.profile.province, "sector": row.profile.sector,
                "size_band": row.profile.size_band, "staff": row.profile.staff, "firm_name": None,
                "round": "baseline", "workshop_id": None, "previous_id": None, "language": language,
                "step": len(questionnaire.pillars), "created_at": when, "updated_at": now, "submitted_at": when,
                "code_hash": os.urandom(32),  # nobody holds a code for it: it cannot be resumed or changed
                "answers": packed, "answers_extra": dump_json(extra) if extra else None,
                **score_values(questionnaire, result, slots),
            })
        with self.write() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(select(func.pg_advisory_xact_lock(IMPORT_LOCK)))
            if not allow_duplicate:
                earlier = conn.execute(
                    _BATCHES.where(ib.c.file_hash == file_hash, ib.c.questionnaire_id == questionnaire.id)
                    .order_by(ib.c.id.desc())
                ).first()
                if earlier is not None:
                    raise DuplicateImport(_batch(earlier))
            batch_id = conn.execute(
                insert(ib).values(
                    questionnaire_id=questionnaire.id, layout_id=layout, file_name=name, file_hash=file_hash,
                    imported=len(values), pooled=sum(1 for v in values if v["consent"]), skipped=int(skipped),
                    imported_by=user, imported_at=now,
                )
            ).inserted_primary_key[0]
            from store.demo import reserve_ids

            ids = reserve_ids(conn, len(values))
            for new_id, v in zip(ids, values):
                v["id"] = int(new_id)
            for lo in range(0, len(values), CHUNK):
                conn.execute(insert(a), values[lo : lo + CHUNK])
            conn.execute(
                insert(import_rows),
                [{"assessment_id": int(i), "batch_id": batch_id, "row_number": g.row} for i, g in zip(ids, rows)],
            )
            for part in _chunks([int(i) for i in ids]):
                summary.apply(conn, part)
            return _batch(conn.execute(_BATCHES.where(ib.c.id == batch_id)).one())

    def import_ids(self, batch_id: int) -> list[int]:
        with self.read() as conn:
            return [int(x) for x in conn.execute(
                select(import_rows.c.assessment_id).where(import_rows.c.batch_id == batch_id).order_by(import_rows.c.assessment_id)
            ).scalars()]

    def delete_import(self, batch_id: int) -> int:
        """Undo an import: its assessments leave every summary and the database, in one
        transaction. Returns how many were deleted (``NotFound`` for an unknown batch)."""
        with self.write() as conn:
            if conn.execute(select(ib.c.id).where(ib.c.id == batch_id)).first() is None:
                raise NotFound(f"no import {batch_id}")
            ids = [int(x) for x in conn.execute(select(import_rows.c.assessment_id).where(import_rows.c.batch_id == batch_id)).scalars()]
            for part in _chunks(ids):
                summary.retract(conn, part)
                conn.execute(update(a).where(a.c.previous_id.in_(part)).values(previous_id=None))
                conn.execute(delete(a).where(a.c.id.in_(part)))
            conn.execute(delete(ib).where(ib.c.id == batch_id))
        return len(ids)


__all__ = ["DuplicateImport", "ImportBatch", "Imports"]
