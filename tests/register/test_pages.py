"""The register's pages: masked ID numbers everywhere, the logged reveal, the list's filters and
search, writes by the keeping union's fillers and admins only, 404 outside the subtree."""

import datetime as dt

import pytest
from django.urls import reverse

from chunfeng.core.personal import search_token
from chunfeng.register.models import Household, HouseholdStatus, IdAccess, Member

from .conftest import make_id, new_household


@pytest.fixture
def files(fed):
    """Two files in 中山区 (one at a grassroots union, with a member) and one in 西岗区."""
    zs = new_household(fed, fed.zs, 1, is_migrant=True, name="张一")
    zsg = new_household(
        fed,
        fed.zs_g1,
        2,
        name="王二",
        category="C",
        members=[{"name": "王小二", "id_number": make_id(9), "relation": "子"}],
    )
    xg = new_household(fed, fed.xg, 3, name="李三")
    return {"zs": zs, "zsg": zsg, "xg": xg}


def pages(h):
    return [
        reverse("household-list"),
        reverse("household-detail", args=[h.pk]),
        reverse("household-edit", args=[h.pk]),
        reverse("household-escape", args=[h.pk]),
    ]


FULL_IDS = [make_id(1), make_id(2), make_id(3), make_id(9)]


def assert_no_full_id(html: str):
    for number in FULL_IDS:
        assert number not in html


@pytest.mark.parametrize("key", ["city", "zs"])
@pytest.mark.parametrize("role", ["reviewer", "viewer", "filler", "admin"])
def test_no_page_shows_a_full_id_without_the_reveal(fed, login, files, key, role):
    client = login(fed.user(key, role))
    html = ""
    for url in pages(files["zs"]) + pages(files["zsg"]):
        response = client.get(url)
        assert response.status_code in (200, 403)
        html += response.content.decode()
    for number in FULL_IDS:
        assert number not in html
    assert "2102**********" in html
    assert not IdAccess.objects.exists()


def test_masked_in_the_list_with_flags_and_units(fed, login, files):
    html = login(fed.user("city", "viewer")).get(reverse("household-list")).content.decode()
    assert_no_full_id(html)
    for seq in (1, 2, 3):
        assert "2102**********" + make_id(seq)[-4:] in html
    assert "张一" in html and "新生代农民工" in html and "青泥洼桥街道总工会" in html


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_search_by_full_id_continues_as_its_token_and_shows_it_masked(fed, login, files, role):
    client = login(fed.user("zs", role))
    for response in (
        client.post(reverse("household-list"), {"q": make_id(2), "status": "active"}),
        client.get(reverse("household-list"), {"q": make_id(2)}),  # typed into the URL
    ):
        assert response.status_code == 302
        assert make_id(2) not in response.url and "1234" not in response.url
        assert f"id_token={search_token('id', make_id(2))}" in response.url
        page = client.get(response.url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "王二" in html and "张一" not in html
        assert make_id(2) not in html
        assert "2102**********" + make_id(2)[-4:] in html
    assert (
        "status=active"
        in client.post(reverse("household-list"), {"q": make_id(2), "status": "active"}).url
    )
    # a token that is not one finds nothing, and never fails
    html = client.get(reverse("household-list"), {"id_token": "x' OR 1=1"}).content.decode()
    assert "王二" not in html


def test_search_by_name_redirects_to_a_shareable_url(fed, login, files):
    client = login(fed.user("zs", "viewer"))
    response = client.post(reverse("household-list"), {"q": "张"})
    assert response.status_code == 302 and "q=" in response.url
    html = client.get(response.url).content.decode()
    assert "张一" in html and "王二" not in html


def test_search_by_id_outside_the_subtree_finds_nothing(fed, login, files):
    client = login(fed.user("zs", "viewer"))
    html = client.post(reverse("household-list"), {"q": make_id(3)}, follow=True)
    assert "李三" not in html.content.decode()


def test_filters_status_category_and_unit_subtree(fed, login, files):
    client = login(fed.user("city", "viewer"))
    url = reverse("household-list")

    def names(**params):
        html = client.get(url, params).content.decode()
        return {n for n in ("张一", "王二", "李三") if n in html}

    assert names() == {"张一", "王二", "李三"}
    assert names(unit="210202") == {"张一", "王二"}  # the district and its grassroots union
    assert names(unit="210202001") == {"王二"}
    assert names(category="C") == {"王二"}
    files["xg"].status, files["xg"].escaped_on = HouseholdStatus.ESCAPED, dt.date(2012, 1, 1)
    files["xg"].save()
    assert names(status="escaped") == {"李三"}
    assert names(status="active") == {"张一", "王二"}


def test_users_see_only_their_subtree(fed, login, files):
    client = login(fed.user("zs", "filler"))
    html = client.get(reverse("household-list")).content.decode()
    assert "张一" in html and "王二" in html and "李三" not in html
    for url in pages(files["xg"])[1:] + [reverse("household-reveal", args=[files["xg"].pk])]:
        method = client.post if "reveal" in url else client.get
        assert method(url).status_code == 404
    assert client.get(reverse("household-list"), {"unit": "210203"}).status_code == 404
    grassroots = login(fed.user("zsg", "filler")).get(reverse("household-list")).content.decode()
    assert "王二" in grassroots and "张一" not in grassroots


def test_the_reveal_shows_the_full_number_and_logs_each_view(fed, login, files):
    client = login(fed.user("zs", "filler"))
    household = files["zsg"]
    detail = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "显示完整号码" in detail and make_id(2) not in detail
    url = reverse("household-reveal", args=[household.pk])
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and make_id(2) in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for htmx
    client.post(url)  # without htmx: the detail page with the number
    assert (
        IdAccess.objects.filter(
            household=household, purpose="view", user=fed.user("zs", "filler")
        ).count()
        == 2
    )
    # the member's number stays masked; the next visit is masked again
    again = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert make_id(2) not in again and make_id(9) not in again


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_reviewers_and_viewers_cannot_reveal(fed, login, files, role):
    client = login(fed.user("city", role))
    detail = client.get(reverse("household-detail", args=[files["zs"].pk])).content.decode()
    assert "显示完整号码" not in detail
    response = client.post(reverse("household-reveal", args=[files["zs"].pk]))
    assert response.status_code == 403 and make_id(1) not in response.content.decode()
    assert not IdAccess.objects.exists()


def test_detail_lists_members_and_history(fed, login, files):
    client = login(fed.user("zs", "admin"))
    household = files["zsg"]
    client.post(
        reverse("household-edit", args=[household.pk]),
        {
            "name": "王二",
            "category": "C",
            "family_size": 4,
            "income": "720.50",
        },
    )
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "王小二" in html and "2102**********" + make_id(9)[-4:] in html
    assert "建档" in html and "修改" in html and "家庭月人均收入：650.00 → 720.50" in html


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_readers_cannot_write(fed, login, files, role):
    client = login(fed.user("zs", role))
    household = files["zs"]
    assert client.get(reverse("household-new")).status_code == 403
    assert client.post(reverse("household-new"), {"unit": "210202"}).status_code == 403
    assert client.get(reverse("household-edit", args=[household.pk])).status_code == 403
    assert (
        client.post(
            reverse("household-escape", args=[household.pk]),
            {"escaped_on": "2012-01-01", "escaped_reason": "x"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("household-member-add", args=[household.pk]), {"name": "甲"}
        ).status_code
        == 403
    )
    assert client.get(reverse("household-import")).status_code == 403
    detail = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert reverse("household-edit", args=[household.pk]) not in detail
    household.refresh_from_db()
    assert household.status == "active" and not household.members.exists()


def test_a_filler_creates_a_file_in_a_unit_of_the_subtree(fed, login):
    client = login(fed.user("zs", "filler"))
    form = client.get(reverse("household-new")).content.decode()
    assert "210202001" in form and "210203" not in form
    response = client.post(
        reverse("household-new"),
        {
            "unit": "210202001",
            "name": "赵四",
            "id_number": make_id(4, birth="19750505"),
            "category": "D",
            "family_size": 2,
            "income": "300",
            "is_laid_off": "on",
            "causes": ["illness", "schooling"],
            "phone": "13900000000",
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "household-detail", args=[household.pk]
    )
    assert household.unit == fed.zs_g1 and household.is_laid_off and household.created_by
    assert household.causes == ["illness", "schooling"]
    html = client.get(response.url).content.decode()
    assert "大病、子女上学" in html and make_id(4, birth="19750505") not in html


def test_a_filler_cannot_create_outside_the_subtree(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(
        reverse("household-new"),
        {
            "unit": "210203",
            "name": "赵四",
            "id_number": make_id(4),
            "category": "D",
            "family_size": 2,
            "income": "300",
        },
    )
    assert response.status_code == 403 and not Household.objects.exists()


def test_form_errors_name_the_field(fed, login):
    client = login(fed.user("zs", "filler"))
    response = client.post(
        reverse("household-new"),
        {
            "unit": "210202",
            "name": "",
            "id_number": make_id(4),
            "category": "",
            "family_size": 40,
            "income": "-1",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    for label in ("姓名：", "困难类别：", "家庭人口：", "家庭月人均收入（元）："):
        assert label in html


def test_escape_with_date_and_reason(fed, login, files):
    client = login(fed.user("zs", "filler"))
    household = files["zs"]
    url = reverse("household-escape", args=[household.pk])
    missing = client.post(url, {"escaped_on": "2012-01-05", "escaped_reason": ""})
    assert missing.status_code == 400 and "脱困原因：" in missing.content.decode()
    response = client.post(url, {"escaped_on": "2012-01-05", "escaped_reason": "子女就业"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == "escaped" and str(household.escaped_on) == "2012-01-05"
    assert household.escaped_reason == "子女就业"
    assert not household.persons.filter(active=True).exists()
    html = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    assert "已脱困" in html and "子女就业" in html and "脱困" in html
    assert client.get(url).status_code == 302  # already escaped


def test_member_add_checks_the_id_and_one_file(fed, login, files):
    client = login(fed.user("zs", "filler"))
    household = files["zs"]
    url = reverse("household-member-add", args=[household.pk])
    bad = client.post(url, {"name": "甲", "id_number": "210202198001011230", "relation": "妻"})
    assert bad.status_code == 400 and "身份证号码：" in bad.content.decode()
    held = client.post(url, {"name": "王小二", "id_number": make_id(9), "relation": "子"})
    assert held.status_code == 400 and "青泥洼桥街道总工会（210202001）" in held.content.decode()
    ok = client.post(url, {"name": "张妻", "id_number": make_id(11), "relation": "妻"})
    assert ok.status_code == 302
    assert Member.objects.filter(household=household, name="张妻").exists()
    assert household.persons.filter(id_number=make_id(11), is_worker=False, active=True).exists()
