"""Template download and filled-template upload through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chunfeng.reports.models import ReportValue
from tests.sheets.helpers import cell_map, fill


def path(fed, unit="210202", form="F1", tail="template"):
    return f"/api/v1/campaigns/{fed.campaign.pk}/reports/{unit}/{form}/{tail}"


def test_template_download_and_import_round_trip(fed, api):
    client = api(fed.token("zs", "filler"))
    response = client.get(path(fed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    template = response.content
    cells = cell_map(template)
    data = fill(template, {"01A": 100, "01A.2": 200, "05A": 1.2345})
    response = client.post(path(fed, tail="import"), {"file": SimpleUploadedFile("f.xlsx", data)})
    body = response.json()
    assert response.status_code == 200, body
    assert body["values"]["05A"] == "1.2345" and body["status"] == "draft"
    f101 = next(e for e in body["error_cells"] if e["check"] == "F1-01")
    assert sorted(f101["cells"]) == sorted([cells["01A"], cells["01A.2"]])


def test_bad_cells_named_with_the_checks_and_nothing_saved(fed, api):
    """One pass: the unreadable cells and what the checks say of the readable values, none of
    it saved."""
    client = api(fed.token("zs", "filler"))
    template = client.get(path(fed)).content
    cells = cell_map(template)
    data = fill(template, {"01A": "abc", "02A": -1, "01A.2": 5, "02A.2": 9, "03A": 1.5})
    response = client.post(path(fed, tail="import"), {"file": SimpleUploadedFile("f.xlsx", data)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_values" and body["saved"] is False
    assert "未保存任何数据" in body["message"]
    assert {(d["cell"], d["field"]) for d in body["details"]} == {
        (cells["01A"], "01A"),
        (cells["02A"], "02A"),
        (cells["03A"], "03A"),
    }
    # 02A.2 > 01A.2: the warning F1-27 over two readable cells
    f127 = next(w for w in body["warning_cells"] if w["check"] == "F1-27")
    assert sorted(f127["cells"]) == sorted([cells["02A.2"], cells["01A.2"]])
    assert body["error_cells"] == []
    assert not ReportValue.objects.exists()


@pytest.mark.parametrize(
    "who, unit, get_status, post_status",
    [
        (("zs", "filler"), "210203", 404, 404),
        (("zs", "reviewer"), "210202", 200, 403),
        (("city", "viewer"), "210202", 200, 403),
        (("xg", "filler"), "210202", 404, 404),
    ],
)
def test_permissions(fed, api, who, unit, get_status, post_status):
    own = api(fed.token("zs", "filler")).get(path(fed)).content
    client = api(fed.token(*who))
    assert client.get(path(fed, unit)).status_code == get_status
    data = fill(own, {"01A": 1})
    response = client.post(
        path(fed, unit, tail="import"), {"file": SimpleUploadedFile("f.xlsx", data)}
    )
    assert response.status_code == post_status
    assert not ReportValue.objects.exists()


def test_requires_token(fed, api):
    assert api(None).get(path(fed)).status_code == 401
