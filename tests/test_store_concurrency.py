"""Many firms submitting at the same moment lose nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from scoring.model import FirmProfile
from scoring.sample import random_answers
from store import Store
from store.models import assessments, pool_cells, questionnaire_versions

pytest_plugins = ["tests.conftest_store"]

THREADS = 50


def test_fifty_concurrent_submissions_all_land(db_url, tiny_q):
    # two Store objects on one database: two app servers behind a load balancer
    servers = [Store(db_url), Store(db_url)]
    start = threading.Barrier(THREADS)
    answer_sets = [random_answers(tiny_q, random.Random(i)) for i in range(THREADS)]

    def firm(i: int) -> tuple[int, str, float]:
        server = servers[i % 2]
        start.wait()  # everyone creates, saves and submits at once
        record, code = server.create_draft(tiny_q, FirmProfile(sector="G", staff=i), consent=True)
        server.save_draft(code, answer_sets[i], step=1)
        submitted, result = server.submit(code, tiny_q)
        return submitted.id, code, result.total

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            outcomes = list(pool.map(firm, range(THREADS)))
        ids = {o[0] for o in outcomes}
        assert len(ids) == THREADS and len({o[1] for o in outcomes}) == THREADS
        with servers[0].read() as conn:
            submitted = conn.execute(
                select(func.count()).select_from(assessments).where(assessments.c.status == "submitted")
            ).scalar_one()
            data = conn.execute(
                select(func.count()).select_from(assessments).where(assessments.c.answers.is_not(None))
            ).scalar_one()
            pooled = conn.execute(select(func.sum(pool_cells.c.n))).scalar_one()
            layouts = conn.execute(select(func.count()).select_from(questionnaire_versions)).scalar_one()
            totals = dict(conn.execute(select(assessments.c.staff, assessments.c.total)).all())
        assert submitted == THREADS and data == THREADS
        assert pooled == THREADS  # every concurrent submission counted once in the summary
        assert layouts == 1  # racing first submissions of a version share one layout row
        assert all(totals[i] == outcomes[i][2] for i in range(THREADS))
    finally:
        for server in servers:
            server.close()
