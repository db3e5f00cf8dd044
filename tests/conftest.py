"""Shared fixtures: tiny inline questionnaires (a few lines beat a 600-line file), and the bundled
questionnaires (``dbi``, ``quick``) loaded once for every module that reads them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from scoring.loader import load_questionnaire_text

TINY = """
id: tiny
version: "1"
title: {vi: Thử, en: Tiny}
description: {vi: Bộ câu hỏi nhỏ, en: A tiny questionnaire}
levels:
  - {level: 0, name: {vi: Chưa, en: None}, meaning: {vi: Chưa bắt đầu, en: Not started}}
  - {level: 1, name: {vi: Một, en: One}, meaning: {vi: Mức một, en: Level one}}
  - {level: 2, name: {vi: Hai, en: Two}, meaning: {vi: Mức hai, en: Level two}}
pillars:
  - id: sales
    name: {vi: Bán hàng, en: Sales}
    questions:
      - id: has_site
        type: yesno
        text: {vi: "Có website?", en: "Has a website?"}
        options:
          - {id: "yes", points: 4, uses: [ecommerce]}
          - {id: "no", points: 0, gaps: [ecommerce], advice: {vi: Làm website, en: Build a site}}
      - id: site_updates
        type: single
        text: {vi: "Cập nhật?", en: "Updated how often?"}
        show_if: {question: has_site, in: ["yes"]}
        options:
          - {id: never, label: {vi: Không bao giờ, en: Never}, points: 0, advice: {vi: Cập nhật, en: Update it}}
          - {id: weekly, label: {vi: Hàng tuần, en: Weekly}, points: 4}
      - id: channels
        type: multi
        scoring: share
        max_points: 4
        allow_na: true
        text: {vi: "Kênh nào?", en: "Which channels?"}
        options:
          - {id: zalo, label: {vi: Zalo, en: Zalo}}
          - {id: fb, label: {vi: Facebook, en: Facebook}}
          - {id: none, label: {vi: Không, en: None}, exclusive: true}
  - id: ops
    name: {vi: Vận hành, en: Operations}
    weight: 2
    questions:
      - id: skill
        type: scale
        min: 0
        max: 4
        text: {vi: "Kỹ năng?", en: "Skills?"}
        anchors: {0: {vi: Không, en: None}, 4: {vi: Giỏi, en: Expert}}
      - id: online_share
        type: number
        min: 0
        max: 100
        allow_na: true
        text: {vi: Tỷ lệ online, en: Online share}
        bands:
          - {from: 0, points: 0}
          - {from: 10, points: 2}
          - {from: 50, points: 4}
      - id: practices
        type: matrix
        aggregate: sum
        text: {vi: Thực hành, en: Practices}
        rows:
          - {id: backup, label: {vi: Sao lưu, en: Backup}}
          - {id: passwords, label: {vi: Mật khẩu, en: Passwords}}
        options:
          - {id: no, label: {vi: Không, en: No}, points: 0}
          - {id: partly, label: {vi: Một phần, en: Partly}, points: 1}
          - {id: fully, label: {vi: Đầy đủ, en: Fully}, points: 2}
      - id: notes
        type: text
        text: {vi: Ghi chú, en: Notes}
rules:
  pillar_levels:
    - {level: 1, min_percent: 25}
    - {level: 2, min_percent: 75}
  overall:
    method: composite
    requirements:
      - {level: 1, total_above: 4, min_pillars: 1}
      - {level: 2, total_percent_above: 70, min_pillars: 2}
"""


# Answers to the TINY questionnaire (tests/conftest.py): everything at the top, everything at the bottom.
HIGH = {
    "has_site": "yes",
    "site_updates": "weekly",
    "channels": ["zalo", "fb"],
    "skill": 4,
    "online_share": 60,
    "practices": {"backup": "fully", "passwords": "fully"},
}
LOW = {
    "has_site": "no",
    "channels": ["none"],
    "skill": 0,
    "online_share": 0,
    "practices": {"backup": "no", "passwords": "no"},
}


def load_yaml(text: str, name: str = "inline.yaml"):
    return load_questionnaire_text(textwrap.dedent(text), name)


@pytest.fixture(scope="session")
def tiny():
    return load_yaml(TINY, "tiny.yaml")


BUNDLED_DIR = Path(__file__).resolve().parent.parent / "questionnaires"
# The data files the product ships: a test that reads them fails when one is missing (never skips).
BUNDLED_FILES = (
    "dbi_sme.yaml",
    "quick_check.yaml",
    "catalogue/categories.yaml",
    "catalogue/platforms.yaml",
    "catalogue/roadmap.yaml",
    "catalogue/wording.yaml",
    "catalogue/report_wording.yaml",
    "reference/profile.yaml",
)


@pytest.fixture(scope="session")
def bundled_files() -> Path:
    """The bundled data folder; a missing file fails the test that needs it, by name."""
    missing = [name for name in BUNDLED_FILES if not (BUNDLED_DIR / name).is_file()]
    assert not missing, f"bundled data files missing from {BUNDLED_DIR}: {', '.join(missing)}"
    return BUNDLED_DIR


# Marks a module or test as reading the bundled files: it fails (not skips) when one is missing.
needs_bundled = pytest.mark.usefixtures("bundled_files")


# ---------------------------------------------------------------- the bundled questionnaires, once


@pytest.fixture(scope="session")
def dbi(bundled_files):
    """The bundled DBI 2021 assessment (questionnaires/dbi_sme.yaml)."""
    from scoring.loader import load_bundled

    return load_bundled("dbi_sme")


@pytest.fixture(scope="session")
def quick(bundled_files):
    """The bundled quick check (questionnaires/quick_check.yaml)."""
    from scoring.loader import load_bundled

    return load_bundled("quick_check")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module, shared by its tests (the e2e and deploy modules
    check for Chromium themselves before they get this far)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e_helpers import launch_chromium

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()
