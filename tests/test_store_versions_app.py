"""A stored assessment keeps its questionnaire version in the pages (AppTest): a result
submitted on version 1 opens after the file is replaced by version 2 with other question
ids, and a draft started on version 1 continues on it."""

from __future__ import annotations

import streamlit as st

from store import close_stores, open_store
from tests.e2e_helpers import app_complete
from tests.test_app import draft, env, new_app, no_traceback, open_page, texts, tiny_q  # noqa: F401 (fixtures)
from tests.test_store_compact import renamed


def new_server() -> None:
    """What another app server (or a restart) sees: nothing cached, the files as they are now."""
    st.cache_resource.clear()
    close_stores()


def test_a_result_on_version_1_opens_after_the_file_becomes_version_2(env, tiny_q):  # noqa: F811
    code = draft(tiny_q)
    at = open_page(new_app(), "questionnaire", code=code)
    app_complete(at, tiny_q, "high")
    assert open_store().load(code).status == "submitted"
    (env["qdir"] / "tiny.yaml").write_text(renamed("2"), encoding="utf-8")
    new_server()
    at = open_page(new_app(), "results", code=code)
    no_traceback(at)
    assert at.title[0].value == "Kết quả đánh giá"
    shown = texts(at)
    assert "Mức 2/2 · Hai" in shown and "Bán hàng: mức 2" in shown


def test_a_draft_on_version_1_continues_on_it_after_the_file_becomes_version_2(env, tiny_q):  # noqa: F811
    code = draft(tiny_q)
    open_store().save_draft(code, {"has_site": "yes"}, step=0)
    (env["qdir"] / "tiny.yaml").write_text(renamed("2"), encoding="utf-8")
    new_server()
    at = open_page(new_app(), "questionnaire", code=code)
    no_traceback(at)
    keys = {w.key for w in at.radio}
    assert "q_has_site" in keys and not any(k and k.startswith("q_v2_") for k in keys)  # version 1's questions
    app_complete(at, tiny_q, "high")
    no_traceback(at)
    record = open_store().load(code)
    assert record.status == "submitted" and record.questionnaire_version == "1"
