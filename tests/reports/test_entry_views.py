"""The web entry page: laid out like the paper form, drafts saved, checks shown by the blanks,
bad input refused with nothing saved, and the permission matrix."""

import re

import pytest

from chunfeng.formdefs.loader import latest_builtin
from chunfeng.reports.models import Report, ReportValue
from tests.fixtures import zeros

F1 = latest_builtin("F1")


def entry_url(fed, unit_code="210202", form="F1"):
    return f"/campaigns/{fed.campaign.pk}/reports/{unit_code}/{form}/"


def posted(values: dict, **extra) -> dict:
    data = {f"v-{k}": v for k, v in values.items()}
    data.update(extra)
    return data


def stored(unit_code="210202", form="F1") -> dict:
    report = Report.objects.get(unit__code=unit_code, campaign_form__code=form)
    return {v.code: v.value for v in ReportValue.objects.filter(report=report)}


def test_page_reads_like_the_paper_form(fed, login):
    page = login(fed.user("zs", "filler")).get(entry_url(fed)).content.decode()
    assert "送温暖工程统计表" in page and "附件1" in page
    assert "当地职工总数" in page and 'name="v-01A.2"' in page
    assert "注：" in page and "本表中职工均包括农民工" in page
    # every blank of the definition is an input on the page
    for code in F1.blanks:
        assert f'name="v-{code}"' in page


def test_form2_has_yes_no_select_and_paren_numbers(fed, login):
    page = login(fed.user("zs", "filler")).get(entry_url(fed, form="F2")).content.decode()
    assert "困难职工帮扶中心统计表" in page
    assert '<select class="blank" name="v-05B"' in page
    assert "(01)" in page and "(12)" in page and 'name="v-12H"' in page


def test_save_draft_and_come_back(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(
        entry_url(fed),
        posted(
            {"01A": "1200", "01A.2": "300", "05A": "12.5"},
            filler_name="王芳",
            fill_date="2012-01-05",
        ),
    )
    assert response.status_code == 302
    assert stored() == {"01A": 1200, "01A.2": 300, "05A": pytest.approx(12.5)}
    page = client.get(entry_url(fed)).content.decode()
    assert 'value="1200"' in page and 'value="12.5000"' in page and "王芳" in page
    assert "草稿已保存" in page


def test_failed_check_shown_next_to_blank_and_in_list(fed, login):
    client = login(fed.user("zs", "filler"))
    client.post(entry_url(fed), posted({"01A": "100", "01A.2": "200"}))
    page = client.get(entry_url(fed)).content.decode()
    assert page.count("F1-01") >= 2  # in the list at the top and beside the line
    assert 'class="blank has-error" name="v-01A"' in page
    assert 'id="msgs-01-A"' in page
    # beside the line: the check's words in the span, the blanks it names in its data-fields
    beside = re.search(r'<span class="msg error" data-fields="([^"]*)">(F1-01[^<]*)</span>', page)
    assert beside and set(beside.group(1).split()) == {"01A", "01A.2"}


@pytest.mark.parametrize(
    "value, words",
    [
        ("abc", "不是数字"),
        ("-3", "负数"),
        ("2.5", "整数"),
        ("10000000000", "过大"),
        ("1e3", "不是数字"),
    ],
)
def test_bad_input_refused_and_nothing_saved(fed, login, value, words):
    client = login(fed.user("zs", "filler"))
    client.post(entry_url(fed), posted({"01A": "100", "02A": "5"}))
    response = client.post(entry_url(fed), posted({"01A": "120", "02A": value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "02A" in page and words in page
    assert stored() == {"01A": 100, "02A": 5}  # the earlier draft is untouched


def test_money_decimals_refused(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(entry_url(fed), posted({"05A": "1.23456"}))
    assert response.status_code == 400
    assert "05A" in response.content.decode() and "4 位小数" in response.content.decode()
    assert not Report.objects.exists() or stored() == {}


def test_live_check_does_not_save(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(entry_url(fed) + "check/", posted({"01A": "10", "01A.2": "20"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "F1-01" in body and 'hx-swap-oob="true"' in body
    assert not ReportValue.objects.exists()


def test_ready_when_complete_and_warnings_explained(fed, login):
    client = login(fed.user("zs", "filler"))
    values = zeros(F1) | {"05A": "10", "05B": "10", "06A": "8", "04C": "3"}
    client.post(entry_url(fed), posted(values))
    page = client.get(entry_url(fed)).content.decode()
    assert "F1-W01" in page and "可以报送" not in page
    client.post(entry_url(fed), posted(values, **{"x-F1-W01": "余款2万元用于春节后走访"}))
    page = client.get(entry_url(fed)).content.decode()
    assert "可以报送" in page and "余款2万元" in page
    assert "自动审核" in page and "无错误" in page


@pytest.mark.parametrize(
    "who, unit, get_status, post_status",
    [
        (("zs", "filler"), "210202", 200, 302),
        (("zs", "filler"), "210203", 404, 404),
        (("xg", "filler"), "210202", 404, 404),
        (("zs", "reviewer"), "210202", 200, 403),
        (("zs", "admin"), "210202", 200, 403),
        (("zs", "viewer"), "210202", 200, 403),
        (("city", "viewer"), "210203", 200, 403),
        (("city", "filler"), "210202", 200, 403),
        (("zsg", "filler"), "210202", 404, 404),
        (("zs", "filler"), "210202001", 404, 404),  # not a recipient of the campaign
    ],
)
def test_permission_matrix(fed, login, who, unit, get_status, post_status):
    client = login(fed.user(*who))
    assert client.get(entry_url(fed, unit)).status_code == get_status
    assert client.post(entry_url(fed, unit), posted({"01A": "1"})).status_code == post_status
    if post_status != 302:
        assert not ReportValue.objects.exists()


def test_anonymous_redirected_to_login(fed, client):
    response = client.get(entry_url(fed))
    assert response.status_code == 302 and "/login/" in response["Location"]
