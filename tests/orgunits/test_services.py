"""The union tree's write services: create, move (paths of the whole subtree follow), retire."""

import datetime as dt

import pytest

from chunfeng.core.audit import audit_for
from chunfeng.core.errors import ApplicationError
from chunfeng.orgunits.models import OrgUnit, UnitKind
from chunfeng.orgunits.services import orgunit_create, orgunit_move, orgunit_retire

DAY = dt.date(2012, 3, 1)


def grassroots(parent, code="210202009", name="测试工会"):
    return orgunit_create(code=code, name=name, kind=UnitKind.GRASSROOTS, parent=parent)


def test_create_sets_path_depth_and_audit(fed):
    unit = orgunit_create(
        code=" 210202009 ",
        name="新工会",
        kind=UnitKind.GRASSROOTS,
        parent=fed.zs,
        actor=fed.user("zs", "admin"),
    )
    assert (unit.code, unit.path, unit.depth) == ("210202009", "/210200/210202/210202009/", 2)
    assert [e.action for e in audit_for(unit)] == ["orgunit.create"]


@pytest.mark.parametrize(
    ("kind", "parent_key"),
    [
        (UnitKind.COUNTY, "zs"),  # a county union belongs directly under the city
        (UnitKind.GRASSROOTS, "zs_g1"),  # nothing goes under a grassroots union
        (UnitKind.INDUSTRY, "industry"),
        (UnitKind.CITY, "city"),
    ],
)
def test_create_refuses_a_parent_of_the_wrong_kind(fed, kind, parent_key):
    with pytest.raises(ApplicationError) as err:
        orgunit_create(code="X1", name="X", kind=kind, parent=getattr(fed, parent_key))
    assert err.value.code == "bad_parent"
    assert "的上级应为" in err.value.message
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_create_refuses_a_non_root_without_parent(fed):
    with pytest.raises(ApplicationError, match="上级应为市总工会"):
        orgunit_create(code="X1", name="X", kind=UnitKind.COUNTY, parent=None)


def test_create_refuses_a_duplicate_code(fed):
    with pytest.raises(ApplicationError, match="单位代码 210202001 已存在") as err:
        grassroots(fed.xg, code="210202001")
    assert err.value.code == "duplicate_code"


def test_create_refuses_an_unknown_kind(fed):
    with pytest.raises(ApplicationError, match="类别“street”无效"):
        orgunit_create(code="X1", name="X", kind="street", parent=fed.zs)


def test_create_refuses_a_retired_parent(fed):
    orgunit_retire(unit=fed.zs_g1, on=DAY)
    orgunit_retire(unit=fed.zs, on=DAY)
    with pytest.raises(ApplicationError, match="上级单位 210202 已撤销"):
        grassroots(fed.zs)


def test_move_updates_the_paths_and_depths_of_all_descendants(fed):
    sub = orgunit_create(
        code="2102C0101", name="车间工会", kind=UnitKind.GRASSROOTS, parent=fed.industry
    )
    orgunit_move(unit=fed.industry, new_parent=fed.zs, actor=fed.user("city", "admin"))
    fed.industry.refresh_from_db()
    sub.refresh_from_db()
    assert (fed.industry.path, fed.industry.depth) == ("/210200/210202/2102C01/", 2)
    assert (sub.path, sub.depth) == ("/210200/210202/2102C01/2102C0101/", 3)
    assert sub.is_within(fed.zs)
    event = audit_for(fed.industry).first()
    assert (event.action, event.details["old"], event.details["new"]) == (
        "orgunit.move",
        "210200",
        "210202",
    )


def test_move_of_a_grassroots_union_to_another_county(fed):
    orgunit_move(unit=fed.zs_g1, new_parent=fed.xg)
    fed.zs_g1.refresh_from_db()
    assert fed.zs_g1.parent == fed.xg and fed.zs_g1.path == "/210200/210203/210202001/"


def test_move_refuses_a_cycle(fed):
    sub = orgunit_create(
        code="2102C0101", name="车间工会", kind=UnitKind.GRASSROOTS, parent=fed.industry
    )
    for target in (fed.industry, sub):
        with pytest.raises(ApplicationError) as err:
            orgunit_move(unit=fed.industry, new_parent=target)
        assert err.value.code == "cycle"
    fed.industry.refresh_from_db()
    assert fed.industry.path == "/210200/2102C01/"


def test_move_refuses_a_parent_of_the_wrong_kind(fed):
    with pytest.raises(ApplicationError, match="区市县总工会的上级应为市总工会"):
        orgunit_move(unit=fed.xg, new_parent=fed.zs)


def test_retire_records_the_date(fed):
    orgunit_retire(unit=fed.zs_g1, on=DAY, actor=fed.user("zs", "admin"))
    fed.zs_g1.refresh_from_db()
    assert (fed.zs_g1.active, fed.zs_g1.retired_on) == (False, DAY)
    assert audit_for(fed.zs_g1).first().details == {"on": "2012-03-01"}


def test_retire_refuses_a_unit_with_active_children(fed):
    with pytest.raises(ApplicationError, match="还有在用的下级单位") as err:
        orgunit_retire(unit=fed.zs, on=DAY)
    assert err.value.code == "has_children"
    fed.zs.refresh_from_db()
    assert fed.zs.active


def test_retire_is_allowed_once_the_children_are_retired(fed):
    orgunit_retire(unit=fed.zs_g1, on=DAY)
    orgunit_retire(unit=fed.zs, on=DAY)
    fed.zs.refresh_from_db()
    assert not fed.zs.active


def test_retire_refuses_the_root(fed):
    OrgUnit.objects.exclude(pk=fed.city.pk).update(active=False, retired_on=DAY)
    with pytest.raises(ApplicationError, match="不能撤销根单位"):
        orgunit_retire(unit=fed.city, on=DAY)
