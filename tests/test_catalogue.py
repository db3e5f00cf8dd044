"""The platform catalogue: the bundled data, and broken catalogues refused with every problem's path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from scoring.catalogue import (
    BUNDLED_DIR,
    CATEGORY_IDS,
    MAX_BYTES,
    PILLARS,
    SECTORS,
    SIZE_BANDS,
    Catalogue,
    CatalogueError,
    load_catalogue,
)

ROOT = Path(__file__).resolve().parent.parent

# Fields every inline platform shares, so each test line shows only what it is about.
COMMON = (
    "vendor: V, sizes: [micro], sectors: all, price_band: low, free_trial: unknown, smedx: unknown,"
    ' decree80: unknown, open_source: false, website: "https://x.example.vn/", checked: 2026-11-23,'
    ' source: "https://x.example.vn/"'
)
HEAD = """\
version: "1"
checked: 2026-11-23
categories:
  - {id: accounting, name: {vi: Kế toán, en: Accounting}, problem: {vi: Sổ sách, en: Books}, pillars: {operations: 1}}
"""


def write(tmp_path: Path, text: str, name: str = "cat.yaml") -> Path:
    path = tmp_path / name
    path.write_text(dedent(text).replace("COMMON", COMMON), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    """Each problem as printed: ``file:line: yaml.path: message``."""
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    found = [str(p) for p in err.value.problems]
    assert str(err.value) == "\n".join(found)
    return found


@pytest.fixture(scope="module")
def bundled() -> Catalogue:
    return load_catalogue()


# ---------------------------------------------------------------- the bundled catalogue


def test_bundled_catalogue_loads_with_all_categories(bundled):
    assert [c.id for c in bundled.categories] == list(CATEGORY_IDS)
    assert len(bundled.platforms) >= 40
    assert len({p.id for p in bundled.platforms}) == len(bundled.platforms)
    assert bundled.version and bundled.checked


def test_every_category_has_platforms_and_every_platform_a_category(bundled):
    known = set(bundled.category_ids)
    for p in bundled.platforms:
        assert p.category in known, p.id
        assert set(p.also) <= known, p.id
    for cid in CATEGORY_IDS:
        assert len(bundled.platforms_in(cid)) >= 2, cid
        assert sum(p.category == cid for p in bundled.platforms) >= 2, f"{cid}: fewer than 2 main platforms"


def test_bundled_entries_are_complete(bundled):
    for c in bundled.categories:
        for text in (c.name, c.problem):
            assert text.get("vi").strip() and text.get("en").strip()
        assert set(c.pillars) <= set(PILLARS) and max(c.pillars.values()) > 0
    for p in bundled.platforms:
        assert p.summary.get("vi").strip() and p.summary.get("en").strip()
        assert p.website.startswith("https://") and p.source.startswith(("https://", "http://"))
        assert set(p.sizes) <= set(SIZE_BANDS) and p.sizes
        assert p.sectors == ("all",) or set(p.sectors) <= set(SECTORS)
        assert {p.free_trial, p.smedx, p.decree80} <= {"yes", "no", "unknown"}
        assert p.checked <= bundled.checked


def test_bundled_catalogue_is_mostly_vietnamese_with_open_alternatives(bundled):
    # SMEdx lists only "Make in Vietnam" platforms: a foreign product is "no", never "yes".
    foreign = [p for p in bundled.platforms if p.smedx == "no"]
    assert len(bundled.platforms) - len(foreign) > len(bundled.platforms) / 2
    assert sum(p.open_source for p in bundled.platforms) >= 4
    # the sizes matter: some categories suggest different platforms to a household and a large firm
    assert any(
        {p.id for p in bundled.platforms_in(cid) if p.fits("household")}
        != {p.id for p in bundled.platforms_in(cid) if p.fits("large")}
        for cid in CATEGORY_IDS
    )


def test_category_ids_are_written_once_in_categories_yaml_and_all_used(bundled):
    """CATEGORY_IDS is read from categories.yaml; every id there is named by a questionnaire tag
    (so answers can reveal it) and every tag, roadmap category and platform category is one of them."""
    from scoring.loader import load_bundled
    from scoring.roadmap_data import load_bundled_roadmap

    assert CATEGORY_IDS == bundled.category_ids
    text = (BUNDLED_DIR / "categories.yaml").read_text(encoding="utf-8")
    assert re.findall(r"(?m)^  - id: (\w+)$", text) == list(CATEGORY_IDS)
    tags: set[str] = set()
    for name in ("dbi_sme", "quick_check"):
        for _, question in load_bundled(name).questions():
            for item in list(getattr(question, "options", ())) + list(getattr(question, "bands", ())):
                tags |= set(item.gaps) | set(item.uses)
    assert tags <= set(CATEGORY_IDS)
    assert set(CATEGORY_IDS) <= {t for t in tags}, "a category no answer can reveal is never recommended"
    assert {a.category for a in load_bundled_roadmap().actions} - {None} <= set(CATEGORY_IDS)
    assert not sys.modules["scoring.catalogue"].__dict__.get("CATEGORY_IDS"), "read from the file, not a copy in Python"


def test_category_flags_say_which_tools_connect_and_which_sectors_they_serve(bundled):
    # "connect it to your other software" fits accounting or a till, not antivirus or a signing token
    assert bundled.category("accounting").integrates and bundled.category("pos_inventory").integrates
    for standalone in ("security_backup", "digital_signature", "cloud_office", "cloud_infrastructure"):
        assert not bundled.category(standalone).integrates, standalone
    till = bundled.category("pos_inventory")
    assert till.sectors == ("G", "I") and till.serves("G") and till.serves(None) and not till.serves("J")
    assert bundled.category("crm").sectors is None and bundled.category("crm").serves("J")
    # price bands compare in order; made_for needs the sector named, not "all"
    kiotviet = bundled.platform("kiotviet")
    assert kiotviet.affordable("low") and kiotviet.affordable(None) and not kiotviet.affordable("free")
    assert kiotviet.made_for("G") and not bundled.platform("misa_sme").made_for("G")


def test_bad_category_flags_are_refused(tmp_path):
    path = write(
        tmp_path,
        """        version: "1"
        checked: 2026-11-23
        categories:
          - {id: accounting, name: {vi: Kế toán, en: Accounting}, problem: {vi: Sổ, en: Books}, pillars: {operations: 1}, integrates: "sometimes"}
          - {id: pos, name: {vi: Quầy, en: Till}, problem: {vi: Bán, en: Sell}, pillars: {operations: 1}, sectors: [G, Z]}
          - {id: shop, name: {vi: Bán, en: Shop}, problem: {vi: Bán, en: Sell}, pillars: {customer: 1}, sectors: []}
        platforms: []
        """,
    )
    assert problems_of(path) == [
        "cat.yaml:4: categories[0].integrates: Input should be a valid boolean",
        "cat.yaml:5: categories[1].sectors[1]: unknown sector 'Z' (expected a VSIC section letter A–U)",
        "cat.yaml:6: categories[2].sectors: name at least one sector letter, or leave sectors out (every sector)",
    ]


def test_helpers(bundled):
    assert bundled.category("e_invoice").name.get("en") == "E-invoicing"
    with pytest.raises(KeyError):
        bundled.category("ecomerce")
    with pytest.raises(KeyError):
        bundled.platforms_in("ecomerce")
    ecommerce = [p.id for p in bundled.platforms_in("ecommerce")]
    assert "haravan" in ecommerce and "sapo_pos" in ecommerce  # main category, then `also`
    assert ecommerce.index("haravan") < ecommerce.index("sapo_pos")
    assert bundled.platform("kiotviet").categories[0] == "pos_inventory"
    assert bundled.platform("kiotviet").fits("micro", "G") and not bundled.platform("kiotviet").fits("large")


def test_content_hash_is_stable_and_follows_the_data(bundled, tmp_path):
    assert re.fullmatch(r"[0-9a-f]{64}", bundled.content_hash)
    assert load_catalogue(BUNDLED_DIR).content_hash == bundled.content_hash
    copy = tmp_path / "catalogue"
    shutil.copytree(BUNDLED_DIR, copy)
    path = copy / "platforms.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Citigo", "Citigo JSC", 1), encoding="utf-8")
    changed = load_catalogue(copy)
    assert changed.platform("kiotviet").vendor == "Citigo JSC"
    assert changed.content_hash != bundled.content_hash


def test_scoring_stays_pure():
    code = "import sys, scoring.catalogue; print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'sqlalchemy', 'store')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- broken catalogues


def test_three_problems_in_one_file_give_three_lines(tmp_path):
    path = write(
        tmp_path,
        HEAD
        + dedent("""\
        platforms:
          - {id: books, name: Books, category: acounting, summary: {vi: Sổ, en: Books}, COMMON}
          - {id: books, name: Books two, category: accounting, summary: {vi: Sổ, en: Books}, COMMON}
          - {id: tills, name: Tills, category: accounting, summary: {vi: Quầy}, COMMON}
        """),
    )
    assert problems_of(path) == [
        "cat.yaml:6: platforms[0].category: unknown category 'acounting'",
        "cat.yaml:7: platforms[1].id: duplicate platform id 'books' (first at platforms[0])",
        "cat.yaml:8: platforms[2].summary: missing 'en' translation",
    ]


def test_a_folder_names_each_file(tmp_path):
    write(
        tmp_path,
        """\
        version: "1"
        checked: 2026-11-23
        categories:
          - {id: ecommerce, name: {vi: Bán online, en: ""}, problem: {vi: Bán, en: Sell}, pillars: {customer: 1}}
          - {id: ecommerce, name: {vi: Sàn, en: Marketplaces}, problem: {vi: Bán, en: Sell}, pillars: {customers: 1}}
        """,
        "categories.yaml",
    )
    write(
        tmp_path,
        """\
        version: "1"
        checked: 2026-11-23
        platforms:
          - {id: shop, name: Shop, category: ecommerce, also: [logistics], summary: {vi: Cửa hàng, en: Shop}, COMMON}
          - {id: mall, name: Mall, category: ecomerce, summary: {vi: Sàn, en: Mall}, COMMON}
        """,
        "platforms.yaml",
    )
    assert problems_of(tmp_path) == [
        "categories.yaml:4: categories[0].name: missing 'en' translation",
        "categories.yaml:5: categories[1].id: duplicate category id 'ecommerce' (first at categories[0])",
        "categories.yaml:5: categories[1].pillars.customers: unknown pillar 'customers'"
        " (expected one of customer, strategy, infrastructure, operations, culture, data)",
        "platforms.yaml:4: platforms[0].also[0]: unknown category 'logistics'",
        "platforms.yaml:5: platforms[1].category: unknown category 'ecomerce'",
    ]


def test_unknown_size_sector_and_bad_urls(tmp_path):
    path = write(
        tmp_path,
        HEAD
        + dedent("""\
        platforms:
          - {id: one, name: One, category: accounting, summary: {vi: Một, en: One}, COMMON, sizes: [micro, tiny]}
          - {id: two, name: Two, category: accounting, summary: {vi: Hai, en: Two}, COMMON, sectors: [G, g, all]}
          - {id: three, name: Three, category: accounting, summary: {vi: Ba, en: Three}, COMMON, website: "http://three.vn/"}
          - {id: four, name: Four, category: accounting, summary: {vi: Bốn, en: Four}, COMMON, source: "www.four"}
        """),
    )
    # flow mappings take the last value of a repeated key, so COMMON's defaults are overridden
    assert problems_of(path) == [
        "cat.yaml:6: platforms[0].sizes[1]: unknown size band 'tiny' (expected one of household, micro, small, medium, large)",
        "cat.yaml:7: platforms[1].sectors[1]: unknown sector 'g' (expected a VSIC section letter A–U, or 'all')",
        "cat.yaml:7: platforms[1].sectors[2]: 'all' must stand alone",
        "cat.yaml:8: platforms[2].website: bad URL 'http://three.vn/': it must start with https://",
        "cat.yaml:9: platforms[3].source: bad URL 'www.four': it must start with https:// or http://",
    ]


def test_pydantic_errors_become_yaml_paths(tmp_path):
    path = write(
        tmp_path,
        HEAD
        + dedent("""\
        platforms:
          - {id: one, name: One, category: accounting, summary: {vi: Một, en: One}, COMMON, open_source: maybe, colour: red}
          - {id: two, category: accounting, summary: Two, COMMON, price_band: cheap, smedx: perhaps}
        """),
    )
    assert problems_of(path) == [
        "cat.yaml:6: platforms[0].open_source: Input should be a valid boolean",
        "cat.yaml:6: platforms[0].colour: unknown field",
        "cat.yaml:7: platforms[1].name: required field is missing",
        "cat.yaml:7: platforms[1].price_band: Input should be 'free', 'low', 'medium' or 'high'",
        "cat.yaml:7: platforms[1].smedx: expected yes, no or unknown, got 'perhaps'",
        "cat.yaml:7: platforms[1].summary: expected a translation mapping like {vi: ..., en: ...}",
    ]


def test_yes_and_no_read_as_words_not_booleans(tmp_path):
    path = write(
        tmp_path,
        HEAD
        + dedent("""\
        platforms:
          - {id: one, name: One, category: accounting, summary: {vi: Một, en: One}, COMMON, free_trial: true, smedx: yes, decree80: no}
          - {id: two, name: Two, category: accounting, summary: {vi: Hai, en: Two}, COMMON, free_trial: false}
        """),
    )
    catalogue = load_catalogue(path)
    one, two = catalogue.platforms
    assert (one.free_trial, one.smedx, one.decree80) == ("yes", "yes", "no")
    assert (two.free_trial, two.smedx) == ("no", "unknown")
    assert [p.id for p in catalogue.platforms_in("accounting")] == ["one", "two"]


def test_versions_of_the_two_files_must_agree(tmp_path):
    shutil.copy(BUNDLED_DIR / "categories.yaml", tmp_path / "categories.yaml")
    text = re.sub(r"(?m)^version: .*$", 'version: "1999.1"', (BUNDLED_DIR / "platforms.yaml").read_text(encoding="utf-8"),
                  count=1)
    (tmp_path / "platforms.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index('version: "1999.1"') + 1
    assert problems_of(tmp_path) == [
        f"platforms.yaml:{line}: version: '1999.1' differs from categories.yaml's version '2026.1'"
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("version: '1'\ncategories: &c [*c]\n", "2: (top): YAML aliases (*c) are not allowed in this file"),
        ("version: '1'\nplatforms: !!python/object/apply:os.system ['echo hi']\n", "2: (top): not valid YAML"),
        ("version: [unclosed\n", "2: (top): not valid YAML"),
        ("", " (top): the file is empty"),
        ("- just\n- a list\n", "1: (top): the top level must be a mapping"),
        ("version: '1'\nchecked: 2026-13-01\n", "2: (top): not valid YAML: a value cannot be read (month must be in 1..12)"),
    ],
)
def test_unsafe_or_unreadable_files_are_refused(tmp_path, text, message):
    problems = problems_of(write(tmp_path, text))
    assert len(problems) == 1
    assert problems[0].startswith("cat.yaml:") and problems[0][len("cat.yaml:"):].startswith(message), problems[0]


def test_files_over_2_mb_are_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    assert problems_of(path) == [f"big.yaml: (top): file is {MAX_BYTES + 3:,} bytes; the limit is {MAX_BYTES:,}"]


def test_missing_files_are_named(tmp_path):
    assert problems_of(tmp_path) == [
        "categories.yaml: (top): cannot read file: No such file or directory",
        "platforms.yaml: (top): cannot read file: No such file or directory",
    ]
