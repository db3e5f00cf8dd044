"""A broken questionnaire tells visitors which file, never where it lives on the server."""

from __future__ import annotations

import logging
import textwrap

from streamlit.testing.v1 import AppTest

from store import close_stores
from tests.conftest import TINY
from tests.e2e_helpers import APP


def test_broken_questionnaires_show_the_file_name_but_no_server_path(tmp_path, monkeypatch, caplog):
    qdir = tmp_path / "secret-server-folder" / "questionnaires"
    qdir.mkdir(parents=True)
    (qdir / "tiny.yaml").write_text(textwrap.dedent(TINY), encoding="utf-8")
    (qdir / "zz_broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (qdir / "zz_latin1.yaml").write_bytes("id: c\xf3\n".encode("latin-1"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("QUESTIONNAIRE_DIR", str(qdir))
    caplog.set_level(logging.ERROR)
    try:
        at = AppTest.from_file(str(APP), default_timeout=60).run()
    finally:
        close_stores()
    assert not at.exception
    shown = [t.value for t in at.text]
    assert any(line.startswith("zz_broken.yaml:2: ") and "not valid YAML" in line for line in shown), shown
    assert any(line.startswith("zz_latin1.yaml: ") and "not UTF-8" in line for line in shown), shown
    page = "\n".join(shown + [e.value for e in at.warning] + [e.value for e in at.error])
    assert "secret-server-folder" not in page and str(tmp_path) not in page
    assert str(qdir / "zz_broken.yaml") in caplog.text  # the log keeps the full detail
