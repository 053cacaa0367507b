"""The shared contracts of ARCHITECTURE.md, each through its one helper."""

from __future__ import annotations

import pytest

from chunfeng.core.actors import SYSTEM
from chunfeng.core.personal import (
    is_search_token,
    mask_bank,
    mask_id,
    mask_phone,
    search_token,
    search_tokener,
)
from chunfeng.core.versions import Stale, etag, version_from
from chunfeng.orgunits.encounters import Encounter, common_path, nearest_common_ancestor
from chunfeng.reports.models import ReportValue
from chunfeng.reports.selectors import report_slot_for
from chunfeng.reports.services import report_save

from ..fixtures import file_report

# --- (a) masking -----------------------------------------------------------------------------


def test_personal_numbers_are_masked_but_the_last_four_digits():
    assert mask_id("210202198001011234") == "2102**********1234"
    assert mask_bank("6222023400000016") == "6222********0016"
    assert mask_phone("13904110001") == "139****0001"
    assert mask_phone("82610422") == "****0422"
    assert mask_id("") == "" and mask_id(None) == ""
    assert mask_bank("12345") == "*****"  # too short to keep anything


# --- (b) search tokens -------------------------------------------------------------------------


def test_search_tokens_are_stable_keyed_and_hide_the_number(settings):
    token = search_token("id", "210202198001011234")
    assert token == search_token("id", " 210202198001011234 ")
    assert token != search_token("phone", "210202198001011234")
    assert is_search_token(token) and "1234" not in token
    settings.CHUNFENG_SEARCH_KEY = "another installation"
    assert search_token("id", "210202198001011234") != token
    with pytest.raises(ValueError):
        search_token("passport", "E123")


def test_a_tokener_gives_the_tokens_of_search_token():
    """The import's tokener skips the normalising regex for canonical numbers: the same
    tokens, for canonical and other spellings alike."""
    id_token = search_tokener("id")
    for number in ("21020219800101123X", "21020219800101123x", "2102 0219-800101123X", "", "一二"):
        assert id_token(number) == search_token("id", number)
    assert search_tokener("bank")("6222 0234") == search_token("bank", "62220234")


# --- (c) versions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, version",
    [(3, 3), ("3", 3), ('"3"', 3), ('W/"12"', 12), (None, None), ("abc", None), (True, None)],
)
def test_the_version_a_writer_read(raw, version):
    assert version_from(raw) == version
    assert etag(4) == '"4"'


def test_a_stale_report_save_is_refused_naming_the_blanks_and_saving_nothing(fed):
    filler = fed.user("zs", "filler")
    report = file_report(fed, fed.zs, submit=False, values={"01A": 92000})
    read = report.version
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    values = {
        c: str(v) for c, v in ReportValue.objects.filter(report=report).values_list("code", "value")
    }
    saved, _ = report_save(
        slot=slot, actor=filler, values={**values, "01A": "111111"}, version=read
    )
    assert saved.version == read + 1
    slot = report_slot_for(filler, fed.campaign.pk, "210202", "F1")
    with pytest.raises(Stale) as stale:
        report_save(slot=slot, actor=filler, values={**values, "01A": "92000"}, version=read)
    assert stale.value.status == 409 and stale.value.current == read + 1
    assert [d["field"] for d in stale.value.details] == ["01A"]
    assert "现为“111111”" in stale.value.details[0]["message"]
    assert ReportValue.objects.get(report=report, code="01A").value == 111111
    # the current version, or none at all (an older client), saves
    report_save(slot=slot, actor=filler, values={**values, "01A": "5"}, version=read + 1)
    report_save(slot=slot, actor=SYSTEM, values={**values, "01A": "6"})
    assert ReportValue.objects.get(report=report, code="01A").value == 6


# --- (d) records met across units --------------------------------------------------------------


def test_a_record_outside_the_fillers_subtree_is_only_said_to_exist(fed):
    inside = Encounter(fed.zs, fed.zs_g1)
    assert not inside.elsewhere
    assert (
        inside.for_filler("青泥洼桥已发放 500 元", "该户已由其他单位发放，")
        == "青泥洼桥已发放 500 元"
    )
    outside = Encounter(fed.zs_g1, fed.xg_g1)
    assert outside.elsewhere
    told = outside.for_filler("八一路已发放 500 元", "该户已由其他单位发放，")
    assert told == "该户已由其他单位发放，将由大连市总工会的审核员核实。"
    assert "八一路" not in told and "500" not in told
    assert outside.reviewer_unit == fed.city


def test_the_nearest_common_ancestor(fed):
    assert common_path(fed.zs_g1, fed.xg_g1) == "/210200/"
    assert nearest_common_ancestor(fed.zs_g1, fed.zs) == fed.zs
    assert nearest_common_ancestor(fed.zs, fed.zs_g1) == fed.zs
    assert nearest_common_ancestor(fed.zs_g1, fed.xg_g1) == fed.city
    assert nearest_common_ancestor(fed.zs_g1, fed.zs_g1) == fed.zs_g1
