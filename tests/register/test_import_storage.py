"""The household import keeps its upload through the storage API, not in a folder of the
server that received it: with a storage that has no local path (object storage, here an
in-memory one) the upload, the mapping step, the check and the import all work, and the
upload is gone afterwards."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chunfeng.core.storage import local_path
from chunfeng.register.models import Household

from .conftest import make_id, row, xlsx_bytes
from .test_import import commit, token_of


@pytest.fixture
def object_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def test_the_import_runs_from_object_storage(fed, login, run_jobs, object_storage):
    filler = login(fed.user("zs", "filler"))
    data = xlsx_bytes([row(1), row(2)])
    with run_jobs():
        response = filler.post(
            reverse("household-import"),
            {"unit": "210202", "file": SimpleUploadedFile("名单.xlsx", data)},
        )
    token = token_of(response.url)
    _, stored = default_storage.listdir("register-imports")
    assert stored == [f"{token}.xlsx"]
    assert "共 2 行，全部检查通过" in filler.get(response.url).content.decode()
    job = commit(filler, run_jobs, token)
    assert (job.status, job.result["count"]) == ("done", 2), job.message
    assert set(Household.objects.values_list("id_number", flat=True)) == {make_id(1), make_id(2)}
    assert default_storage.listdir("register-imports") == ([], [])


def test_a_local_copy_is_removed_after_use(object_storage):
    name = default_storage.save("x/a.csv", SimpleUploadedFile("a.csv", b"1,2"))
    with local_path(name) as path:
        assert path.read_bytes() == b"1,2" and path.suffix == ".csv"
    assert not path.exists()


def test_a_local_folder_is_read_in_place(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("x/a.csv", SimpleUploadedFile("a.csv", b"1,2"))
    with local_path(name) as path:
        assert path == tmp_path / name
    assert path.exists()
