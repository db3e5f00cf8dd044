"""The proxy's Content-Security-Policy lists the hash of every inline script the pages run
(ui/scripts.py) and of Streamlit's own, in the template and in the rendered compose config."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
import streamlit

from ui.scripts import SCRIPTS, csp_hashes, markup

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "nginx"


def script_src(path: Path) -> set[str]:
    found = re.search(r"script-src ([^;]*);", path.read_text(encoding="utf-8"))
    assert found, path
    return set(found.group(1).split())


@pytest.mark.parametrize("name", ["sme.conf.template", "compose.conf"])
def test_every_inline_script_hash_is_allowed(name):
    allowed = script_src(DEPLOY / name)
    assert set(csp_hashes().values()) <= allowed
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    for body in re.findall(r"<script(?![^>]*src)[^>]*>(.*?)</script>", index, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, "Streamlit's own inline script"
    assert "'unsafe-inline'" not in allowed


def test_scripts_are_constants_that_read_their_values_from_the_page():
    first = markup("step", step=1, first="q_a")
    second = markup("step", step=5, first="q_b")
    body = re.compile(r"<script>(.*)</script>", re.S)
    assert body.search(first).group(1) == body.search(second).group(1) == SCRIPTS["step"]
    assert 'data-step="5"' in second and 'data-first="q_b"' in second
    assert "&quot;" in markup("skip", text='Đến "nội dung"')  # values are escaped, never script text
    assert all("<" not in text for text in SCRIPTS.values())  # Streamlit drops a script with one
