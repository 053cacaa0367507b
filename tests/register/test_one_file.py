"""一户一档: one active file per ID number, as the worker or as a family member. A second file
is refused; the refusal names the union holding the first only to a filler whose subtree holds
it — others learn that the person has a file elsewhere and which reviewers will look into it
(contract (d)). After 脱困 a new file is allowed."""

import datetime as dt

import pytest
from django.urls import reverse

from chunfeng.core.actors import SYSTEM
from chunfeng.core.errors import ApplicationError
from chunfeng.register.import_jobs import import_file
from chunfeng.register.listfile import HouseholdFile, contract_mapping
from chunfeng.register.models import Household
from chunfeng.register.services import household_escape

from .conftest import csv_bytes, make_id, new_household, row

HELD_BY_ZS = "中山区总工会（210202）"
ELSEWHERE = "已在其他单位建档，一户一档，不能重复建档；将由大连市总工会的审核员核实。"


def post_new(client, number, unit="210203"):
    return client.post(
        reverse("household-new"),
        {
            "unit": unit,
            "name": "重复",
            "id_number": number,
            "category": "B",
            "family_size": 1,
            "income": "0",
        },
    )


def import_rows(tmp_path, fed, rows, unit=None):
    path = tmp_path / "h.csv"
    path.write_bytes(csv_bytes(rows))
    file = HouseholdFile(path)
    return import_file(
        file, contract_mapping(file.header().columns), unit=unit or fed.xg, actor=SYSTEM
    )


def test_a_second_file_in_another_district_is_refused_without_naming_the_holder(fed, login):
    new_household(fed, fed.zs, 1)
    response = post_new(login(fed.user("xg", "filler")), make_id(1))
    html = response.content.decode()
    assert response.status_code == 400
    assert ELSEWHERE in html and "中山区" not in html
    assert html.count(make_id(1)) == 1  # only the number the user typed, given back to fix
    assert Household.objects.count() == 1


def test_the_holder_is_named_to_a_filler_whose_subtree_holds_it(fed, login):
    new_household(fed, fed.zs_g1, 1)
    for key, unit in (("zs", "210202"), ("city", "210200")):
        html = post_new(login(fed.user(key, "filler")), make_id(1), unit=unit).content.decode()
        assert "青泥洼桥街道总工会（210202001）" in html and "其他单位" not in html


def test_a_worker_who_is_a_member_elsewhere_is_refused(fed, login):
    new_household(fed, fed.zs, 1, members=[{"name": "配偶", "id_number": make_id(50)}])
    response = post_new(login(fed.user("xg", "filler")), make_id(50))
    assert response.status_code == 400 and ELSEWHERE in response.content.decode()


def test_a_member_who_has_a_file_elsewhere_is_refused(fed):
    new_household(fed, fed.zs, 1)
    with pytest.raises(ApplicationError) as err:
        new_household(fed, fed.xg, 2, members=[{"name": "配偶", "id_number": make_id(1)}])
    assert ELSEWHERE in err.value.message and "中山区" not in err.value.message


def test_the_import_refuses_files_held_elsewhere(fed, tmp_path):
    new_household(fed, fed.zs, 1, members=[{"name": "配偶", "id_number": make_id(50)}])
    with pytest.raises(ApplicationError) as err:
        import_rows(tmp_path, fed, [row(2), row(1), row(3, 身份证号码=make_id(50))])
    assert [(d["row"], d["column"]) for d in err.value.details] == [
        (3, "身份证号码"),
        (4, "身份证号码"),
    ]
    assert all(HELD_BY_ZS in d["message"] for d in err.value.details)
    assert Household.objects.count() == 1


def test_after_escape_a_new_file_is_allowed(fed, login, tmp_path):
    first = new_household(fed, fed.zs, 1, members=[{"name": "配偶", "id_number": make_id(50)}])
    household_escape(
        household=first, on=dt.date(2012, 1, 5), reason="再就业", actor=fed.user("zs", "filler")
    )
    response = post_new(login(fed.user("xg", "filler")), make_id(1))
    assert response.status_code == 302
    import_rows(tmp_path, fed, [row(50)])  # the former member, now a worker in 西岗区
    assert Household.objects.filter(status="active", unit=fed.xg).count() == 2
    with pytest.raises(ApplicationError, match="已在其他单位建档"):
        new_household(fed, fed.zs, 1)
