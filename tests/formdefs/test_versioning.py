"""A stored form version is immutable, except its ``derived`` section: that says how reports are
compared with the real-name records, not what users filled in, so it may be amended in place."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from chunfeng.core.audit import audit_for
from chunfeng.core.errors import ApplicationError
from chunfeng.formdefs.loader import DEFINITIONS_DIR, DefinitionError
from chunfeng.formdefs.models import FormVersion
from chunfeng.formdefs.schema import Derivation
from chunfeng.formdefs.selectors import definition_of
from chunfeng.formdefs.services import formdefs_sync, version_digest

from ._support import mini_data

pytestmark = pytest.mark.django_db

DERIVED = [{"code": "01A", "records": "households", "measure": "count"}]


@pytest.fixture
def folder(settings, tmp_path):
    settings.CHUNFENG_FORM_DIRS = [tmp_path]
    return tmp_path


def put(folder, data):
    path = folder / "T1.v1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def stored(code="T1") -> FormVersion:
    return FormVersion.objects.get(code=code, version=1)


def with_derived(derived):
    return copy.deepcopy(mini_data()) | {"derived": derived}


def test_digest_of_a_definition_without_derived_is_what_was_stored_before():
    """Versions stored before ``derived`` existed keep matching their files."""
    source = yaml.safe_load((DEFINITIONS_DIR / "F2.v1.yaml").read_text(encoding="utf-8"))
    source.pop("derived")  # 附件2 as it was stored before it declared 10D
    whole = json.dumps(source, sort_keys=True, ensure_ascii=False).encode()
    assert version_digest(source) == hashlib.sha256(whole).hexdigest()


def test_f1_with_its_derived_section_still_matches_what_the_first_release_stored():
    """附件1 gained ``derived`` after databases stored it: they keep matching the file."""
    import gzip  # the first release's demo database, kept for the upgrade test

    fixture = Path(__file__).resolve().parents[1] / "upgrade" / "demo_2026-12-01.json.gz"
    with gzip.open(fixture, "rt", encoding="utf-8") as fh:
        objects = json.load(fh)["objects"]
    stored = {
        o["fields"]["code"]: o["fields"]["digest"]
        for o in objects
        if o["model"] == "formdefs.formversion"
    }
    for code in ("F1", "F2"):  # 附件2 gained its derived section later still
        path = DEFINITIONS_DIR / f"{code}.v1.yaml"
        source = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "derived" in source and version_digest(source) == stored[code]


def test_digest_ignores_derived_only():
    plain = mini_data()
    assert version_digest(with_derived(DERIVED)) == version_digest(plain)
    assert version_digest(plain | {"title": "另一张表"}) != version_digest(plain)


def test_only_derived_changed_is_amended_in_place(folder):
    put(folder, mini_data())
    formdefs_sync()
    before = stored()
    assert definition_of(before).derived == ()
    put(folder, with_derived(DERIVED))
    formdefs_sync()
    after = stored()
    assert (after.pk, after.digest, after.created_at) == (
        before.pk,
        before.digest,
        before.created_at,
    )
    assert after.source == with_derived(DERIVED)
    assert definition_of(after).derived == (Derivation("01A", "households", "count"),)
    assert definition_of(after).to_json()["derived"][0]["records"] == "households"
    event = audit_for(after).get()
    assert event.action == "formversion.amend" and event.by_system
    assert event.details == {
        "old": {"derived": None, "rollup": None},
        "new": {"derived": DERIVED, "rollup": None},
    }


def test_derived_can_be_changed_again_and_removed(folder):
    put(folder, with_derived(DERIVED))
    formdefs_sync()
    changed = [DERIVED[0] | {"measure": "distinct_households", "where": {"is_migrant": True}}]
    put(folder, with_derived(changed))
    formdefs_sync()
    assert definition_of(stored()).derived[0].where == (("is_migrant", True),)
    put(folder, mini_data())
    formdefs_sync()
    assert definition_of(stored()).derived == ()
    assert [e.action for e in audit_for(stored())] == ["formversion.amend"] * 2


def test_unchanged_file_writes_nothing(folder):
    put(folder, with_derived(DERIVED))
    formdefs_sync()
    formdefs_sync()
    assert not audit_for(stored()).exists()


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(title="另一张表"),
        lambda d: d["checks"][0].update(message="新的提示。"),
        lambda d: d["items"][0]["lines"][0]["blanks"][0].update(label="总人数"),
        lambda d: d.update(notes=[]),
        lambda d: d.update(attachment="附件9"),
    ],
)
def test_any_other_change_needs_a_new_version(folder, edit):
    put(folder, mini_data())
    formdefs_sync()
    data = with_derived(DERIVED)
    edit(data)
    put(folder, data)
    with pytest.raises(ApplicationError) as exc:
        formdefs_sync()
    assert exc.value.code == "immutable_version"
    assert "T1.v1.yaml" in exc.value.message and "derived 除外" in exc.value.message
    assert stored().source == mini_data()  # not even the derived part was taken
    assert not audit_for(stored()).exists()


def test_a_bad_derived_section_is_refused_and_nothing_changes(folder):
    put(folder, with_derived(DERIVED))
    formdefs_sync()
    put(folder, with_derived([DERIVED[0] | {"measure": "average"}]))
    with pytest.raises(DefinitionError, match=r"^T1\.v1\.yaml: 记录算出的项 01A：measure"):
        formdefs_sync()
    assert stored().source == with_derived(DERIVED)


def test_a_new_version_beside_the_old_one(folder):
    put(folder, mini_data())
    formdefs_sync()
    second = copy.deepcopy(mini_data()) | {"version": 2, "title": "测试表（新）"}
    (folder / "T1.v2.yaml").write_text(yaml.safe_dump(second, allow_unicode=True), "utf-8")
    formdefs_sync()
    assert list(FormVersion.objects.filter(code="T1").values_list("version", "title")) == [
        (2, "测试表（新）"),
        (1, "测试表"),
    ]


ROLLUP = [{"blanks": ["01A"], "from": "territory", "note": "按属地"}]


def test_a_rollup_rule_is_amended_in_place_too(folder):
    """``rollup`` says how a roll-up adds the branches below a unit, not what was filled in."""
    put(folder, mini_data())
    formdefs_sync()
    before = stored()
    put(folder, copy.deepcopy(mini_data()) | {"rollup": ROLLUP})
    formdefs_sync()
    after = stored()
    assert (after.pk, after.digest) == (before.pk, before.digest)
    assert definition_of(after).branch_rule("01A").branches == "territory"
    event = audit_for(after).get()
    assert event.details["new"]["rollup"] == ROLLUP and event.details["old"]["rollup"] is None
