"""The users page: admins only, users of their subtree, add and change within it."""

import pytest

from chunfeng.accounts.models import User
from chunfeng.core.audit import audit_for

NON_ADMINS = ["filler", "reviewer", "viewer"]


def new_user(unit="210202001", **extra):
    data = {"username": "zhou8", "full_name": "周八", "unit": unit, "role": "filler"}
    return data | {"password": "a-long-password"} | extra


# --- the list --------------------------------------------------------------------------------------


def test_admin_sees_the_users_of_their_subtree(fed, login):
    page = login(fed.user("zs", "admin")).get("/users/").content.decode()
    for username in ("zs_filler", "zs_admin", "zsg_viewer"):
        assert username in page
    for username in ("city_admin", "xg_filler", "ind_reviewer"):
        assert username not in page
    assert "青泥洼桥街道总工会" in page and "填报员" in page and "在用" in page


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_are_refused_the_page(fed, login, role):
    assert login(fed.user("city", role)).get("/users/").status_code == 403


def test_non_admins_get_no_users_link(fed, login):
    page = login(fed.user("zs", "filler")).get("/units/").content.decode()
    assert 'href="/users/"' not in page


@pytest.mark.parametrize("role", NON_ADMINS)
def test_non_admins_cannot_post(fed, login, role):
    client = login(fed.user("zs", role))
    target = fed.user("zsg", "filler")
    assert client.post("/users/add/", new_user()).status_code == 403
    assert client.post(f"/users/{target.pk}/", {"role": "admin", "active": "1"}).status_code == 403
    target.refresh_from_db()
    assert target.role == "filler" and not User.objects.filter(username="zhou8").exists()


# --- add -------------------------------------------------------------------------------------------


def test_admin_adds_a_user_in_their_subtree(fed, login):
    response = login(fed.user("zs", "admin")).post("/users/add/", new_user(), follow=True)
    assert response.redirect_chain == [("/users/", 302)]
    assert "已新增用户 zhou8" in response.content.decode()
    user = User.objects.get(username="zhou8")
    assert (user.unit, user.role, user.full_name) == (fed.zs_g1, "filler", "周八")
    assert user.check_password("a-long-password")
    assert audit_for(user).first().actor == fed.user("zs", "admin")


@pytest.mark.parametrize("unit", ["210203", "210203001", "210200", "999"])
def test_admin_cannot_add_a_user_outside_their_subtree(fed, login, unit):
    response = login(fed.user("zs", "admin")).post("/users/add/", new_user(unit=unit))
    assert response.status_code in (403, 404)
    assert not User.objects.filter(username="zhou8").exists()


def test_service_errors_are_shown(fed, login):
    client = login(fed.user("zs", "admin"))
    response = client.post("/users/add/", new_user(username="xg_filler"))
    assert response.status_code == 400
    assert "用户名 xg_filler 已存在" in response.content.decode()
    response = client.post("/users/add/", new_user(password="short"))
    assert "密码不符合要求" in response.content.decode()
    assert 'value="210202001"' in response.content.decode()  # the unit choices are kept


def test_form_errors_are_shown(fed, login):
    response = login(fed.user("zs", "admin")).post("/users/add/", new_user(role="boss"))
    assert response.status_code == 400
    assert "boss" in response.content.decode()
    assert not User.objects.filter(username="zhou8").exists()


# --- change ----------------------------------------------------------------------------------------


def test_admin_changes_role_and_deactivates(fed, login):
    target = fed.user("zsg", "filler")
    client = login(fed.user("zs", "admin"))
    response = client.post(f"/users/{target.pk}/", {"role": "reviewer", "active": "0"}, follow=True)
    assert "已更新用户 zsg_filler" in response.content.decode()
    target.refresh_from_db()
    assert (target.role, target.is_active) == ("reviewer", False)
    client.post(f"/users/{target.pk}/", {"role": "reviewer", "active": "1"})
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize("key", ["xg", "city", "ind"])
def test_admin_cannot_manage_users_outside_their_subtree(fed, login, key):
    target = fed.user(key, "filler")
    response = login(fed.user("zs", "admin")).post(
        f"/users/{target.pk}/", {"role": "admin", "active": "0"}
    )
    assert response.status_code in (403, 404)
    target.refresh_from_db()
    assert (target.role, target.is_active) == ("filler", True)


def test_admin_cannot_deactivate_or_demote_themselves(fed, login):
    me = fed.user("zs", "admin")
    client = login(me)
    response = client.post(f"/users/{me.pk}/", {"role": "admin", "active": "0"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    response = client.post(f"/users/{me.pk}/", {"role": "viewer", "active": "1"}, follow=True)
    assert "不能修改自己的角色" in response.content.decode()
    me.refresh_from_db()
    assert (me.role, me.is_active) == ("admin", True)


def test_bad_change_values_are_refused(fed, login):
    target = fed.user("zsg", "filler")
    response = login(fed.user("zs", "admin")).post(
        f"/users/{target.pk}/", {"role": "boss", "active": "1"}, follow=True
    )
    assert "角色或状态无效" in response.content.decode()
    target.refresh_from_db()
    assert target.role == "filler"
