"""Workshops: a facilitator's session with a join code on the projector.

A mixin of ``store.repository.Store`` (which provides ``read``, ``write`` and ``clock``).
Join codes are six characters from the resume-code alphabet, unique among workshops; a
clash (rare: 31^6 codes) just draws another.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, Row, insert, select, update
from sqlalchemy.exc import IntegrityError

from store import aggregates, codes
from store.errors import InvalidValue, NotFound
from store.models import workshops
from store.records import Workshop


def _workshop(row: Row[Any]) -> Workshop:
    m = row._mapping
    return Workshop(
        id=m["id"], join_code=m["join_code"], name=m["name"], association=m["association"],
        facilitator=m["facilitator"], questionnaire_id=m["questionnaire_id"], language=m["language"],
        opened_at=m["opened_at"], closed_at=m["closed_at"],
    )


def workshop_row(conn: Connection, code: str) -> Row[Any] | None:
    """The workshop with this join code (any case, spaces ignored), or None."""
    raw = codes.normalise_join(code)
    if raw is None:
        return None
    return conn.execute(select(workshops).where(workshops.c.join_code == raw)).first()


class Workshops:
    # provided by store.repository.Store
    if TYPE_CHECKING:
        clock: Callable[[], datetime]

        def write(self) -> AbstractContextManager[Connection]: ...

        def read(self) -> AbstractContextManager[Connection]: ...

    def create_workshop(
        self,
        name: str,
        association: str | None,
        facilitator: str | None,
        questionnaire_id: str,
        language: str = "vi",
    ) -> Workshop:
        if not name or not name.strip():
            raise InvalidValue("a workshop needs a name")
        for _ in range(20):
            join_code = codes.new_join_code()
            try:
                with self.write() as conn:
                    new_id = conn.execute(
                        insert(workshops).values(
                            join_code=join_code, name=name.strip(), association=association, facilitator=facilitator,
                            questionnaire_id=questionnaire_id, language=language, opened_at=self.clock(),
                        )
                    ).inserted_primary_key[0]
                    return _workshop(conn.execute(select(workshops).where(workshops.c.id == new_id)).one())
            except IntegrityError:
                continue  # the join code is taken (rare): draw another
        raise InvalidValue("could not draw a free join code")  # pragma: no cover - 31^6 codes

    def workshop_by_code(self, code: str) -> Workshop | None:
        with self.read() as conn:
            row = workshop_row(conn, code)
        return None if row is None else _workshop(row)

    def workshop(self, workshop_id: int) -> Workshop | None:
        with self.read() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
        return None if row is None else _workshop(row)

    def list_workshops(self, *, facilitator: str | None = None, open_only: bool = False) -> list[Workshop]:
        stmt = select(workshops).order_by(workshops.c.opened_at.desc(), workshops.c.id.desc())
        if facilitator is not None:
            stmt = stmt.where(workshops.c.facilitator == facilitator)
        if open_only:
            stmt = stmt.where(workshops.c.closed_at.is_(None))
        with self.read() as conn:
            return [_workshop(r) for r in conn.execute(stmt)]

    def close_workshop(self, workshop_id: int) -> Workshop:
        with self.write() as conn:
            row = conn.execute(select(workshops).where(workshops.c.id == workshop_id)).first()
            if row is None:
                raise NotFound(f"no workshop {workshop_id}")
            if row.closed_at is None:
                conn.execute(update(workshops).where(workshops.c.id == workshop_id).values(closed_at=self.clock()))
            return _workshop(conn.execute(select(workshops).where(workshops.c.id == workshop_id)).one())

    def workshop_results(self, workshop_id: int, include_drafts: bool = False) -> pd.DataFrame:
        with self.read() as conn:
            return aggregates.workshop_results(conn, workshop_id, include_drafts)
