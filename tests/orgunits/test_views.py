"""The union tree page: everyone sees their subtree; admins add, move and retire units within it."""

import pytest

from chunfeng.accounts.models import User
from chunfeng.orgunits.models import OrgUnit

NON_ADMINS = ["filler", "reviewer", "viewer"]
ADMIN_FORMS = ['action="/units/add/"', 'action="/units/move/"', 'action="/units/retire/"']


def new_unit(parent="210202", code="210202009", **extra):
    return {"code": code, "name": "新建工会", "kind": "grassroots", "parent": parent} | extra


# --- the tree ----------------------------------------------------------------------------------


def test_tree_shows_the_subtree_with_contacts_and_status(fed, login):
    OrgUnit.objects.filter(pk=fed.zs_g1.pk).update(active=False, retired_on="2012-03-01")
    page = login(fed.user("zs", "viewer")).get("/units/").content.decode()
    assert "中山区总工会" in page and "张三" in page and "82000001" in page
    assert "青泥洼桥街道总工会" in page and "已撤销（2012-03-01）" in page
    assert "区市县总工会" in page and "基层工会" in page


@pytest.mark.parametrize("role", ["filler", "reviewer", "admin", "viewer"])
def test_tree_of_zs_users_does_not_show_other_branches(fed, login, role):
    page = login(fed.user("zs", role)).get("/units/").content.decode()
    assert 'data-code="210202"' in page and 'data-code="210202001"' in page
    for code in ("210200", "210203", "210203001", "2102C01"):
        assert f'data-code="{code}"' not in page


def test_tree_of_the_city_shows_everything_indented(fed, login):
    page = login(fed.user("city", "viewer")).get("/units/").content.decode()
    for unit in OrgUnit.objects.all():
        assert f'data-code="{unit.code}"' in page
    assert 'class="indent-2"' in page  # grassroots two levels below the city


def test_the_tree_needs_a_login(fed, client):
    assert client.get("/units/").status_code == 302


# --- who gets the forms ------------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_get_no_admin_forms(fed, login, role):
    page = login(fed.user("city", role)).get("/units/").content.decode()
    for form in ADMIN_FORMS:
        assert form not in page
    assert "/units/import/" not in page


def test_admins_get_the_forms_with_units_of_their_subtree(fed, login):
    page = login(fed.user("zs", "admin")).get("/units/").content.decode()
    for form in ADMIN_FORMS:
        assert form in page
    assert 'value="210202"' in page and 'value="210203"' not in page


@pytest.mark.parametrize("role", NON_ADMINS)
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/units/add/", new_unit()),
        ("/units/move/", {"unit": "210202001", "new_parent": "210202"}),
        ("/units/retire/", {"unit": "210202001", "on": "2012-03-01"}),
    ],
)
def test_non_admins_cannot_post_admin_forms(fed, login, role, url, data):
    response = login(fed.user("zs", role)).post(url, data)
    assert response.status_code == 403
    fed.zs_g1.refresh_from_db()
    assert fed.zs_g1.active and not OrgUnit.objects.filter(code="210202009").exists()


def test_a_deactivated_admin_is_logged_out(fed, login):
    client = login(fed.user("zs", "admin"))
    User.objects.filter(username="zs_admin").update(is_active=False)
    assert client.post("/units/add/", new_unit()).status_code == 302  # to the login page
    assert not OrgUnit.objects.filter(code="210202009").exists()


# --- add -------------------------------------------------------------------------------------------


def test_admin_adds_a_grassroots_unit_under_their_own_unit(fed, login):
    client = login(fed.user("zs", "admin"))
    data = new_unit(contact_person="周八", contact_phone="82000099")
    response = client.post("/units/add/", data, follow=True)
    assert response.redirect_chain == [("/units/", 302)]
    assert "已新增单位 新建工会（210202009）" in response.content.decode()
    unit = OrgUnit.objects.get(code="210202009")
    assert (unit.parent, unit.contact_person) == (fed.zs, "周八")


@pytest.mark.parametrize("parent", ["210203", "210200", "2102C01", "999"])
def test_admin_cannot_add_outside_their_subtree(fed, login, parent):
    response = login(fed.user("zs", "admin")).post("/units/add/", new_unit(parent=parent))
    assert response.status_code in (403, 404)
    assert not OrgUnit.objects.filter(code="210202009").exists()


def test_a_county_cannot_be_added_by_a_county_admin(fed, login):
    """A sibling of the admin's unit would need the city as parent, which is outside."""
    data = new_unit(code="210299", kind="county", parent="210200")
    assert login(fed.user("zs", "admin")).post("/units/add/", data).status_code == 403


def test_service_errors_are_shown_on_the_form(fed, login):
    client = login(fed.user("zs", "admin"))
    response = client.post("/units/add/", new_unit(code="210203001"))
    assert response.status_code == 400
    assert "单位代码 210203001 已存在" in response.content.decode()
    response = client.post("/units/add/", new_unit(kind="county"))
    assert "区市县总工会的上级应为市总工会" in response.content.decode()


def test_form_errors_are_shown(fed, login):
    response = login(fed.user("zs", "admin")).post("/units/add/", new_unit(code="a/b", name=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "代码只能由字母、数字、- 和 _ 组成" in page and "这个字段是必填项" in page


# --- move ------------------------------------------------------------------------------------------


def test_city_admin_moves_a_unit_with_its_subtree(fed, login):
    response = login(fed.user("city", "admin")).post(
        "/units/move/", {"unit": "210202001", "new_parent": "210203"}
    )
    assert response.status_code == 302
    fed.zs_g1.refresh_from_db()
    assert fed.zs_g1.path == "/210200/210203/210202001/"


@pytest.mark.parametrize(
    ("unit", "new_parent"),
    [
        ("210202", "210200"),  # their own unit
        ("210203001", "210202"),  # a unit outside
        ("210202001", "210203"),  # a new parent outside
    ],
)
def test_admin_cannot_move_outside_their_subtree_or_their_own_unit(fed, login, unit, new_parent):
    paths = set(OrgUnit.objects.values_list("path", flat=True))
    client = login(fed.user("zs", "admin"))
    response = client.post("/units/move/", {"unit": unit, "new_parent": new_parent})
    assert response.status_code == 403
    assert set(OrgUnit.objects.values_list("path", flat=True)) == paths


def test_move_shows_a_cycle_error(fed, login):
    client = login(fed.user("city", "admin"))
    response = client.post("/units/move/", {"unit": "210202", "new_parent": "210202"})
    assert response.status_code == 400
    assert "不能把 中山区总工会 移到它自己的下级单位之下" in response.content.decode()


# --- retire ----------------------------------------------------------------------------------------


def test_admin_retires_a_unit_below(fed, login):
    client = login(fed.user("zs", "admin"))
    response = client.post("/units/retire/", {"unit": "210202001", "on": "2012-03-01"}, follow=True)
    assert "已撤销单位" in response.content.decode()
    assert "已撤销（2012-03-01）" in response.content.decode()


@pytest.mark.parametrize("unit", ["210202", "210203001", "210200"])
def test_admin_cannot_retire_their_own_unit_or_one_outside(fed, login, unit):
    client = login(fed.user("zs", "admin"))
    response = client.post("/units/retire/", {"unit": unit, "on": "2012-03-01"})
    assert response.status_code == 403
    assert OrgUnit.objects.get(code=unit).active


def test_retire_shows_the_active_children_error(fed, login):
    response = login(fed.user("city", "admin")).post(
        "/units/retire/", {"unit": "210202", "on": "2012-03-01"}
    )
    assert response.status_code == 400
    assert "还有在用的下级单位" in response.content.decode()


def test_admin_forms_only_accept_post(fed, login):
    client = login(fed.user("zs", "admin"))
    for url in ("/units/add/", "/units/move/", "/units/retire/"):
        assert client.get(url).status_code == 405
