"""tools/screenshots.py: every page it photographs answers for the demo user who looks at it, and
the README shows every shot. The browser itself is not run here (the PNGs are committed)."""

import importlib.util
import sys
from pathlib import Path

import pytest

from chunfeng.accounts.models import User
from chunfeng.demo import data
from chunfeng.demo.services import demo_load

ROOT = Path(__file__).resolve().parent.parent


def load_tool():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_every_shot_points_at_a_page_its_user_sees(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tool = load_tool()
    demo_load()
    demo_users = {username for username, *_rest in data.USERS}
    shots = tool.shot_paths(tool.demo_ids())
    assert len({shot.file for shot, _path in shots}) == len(shots)
    for shot, path in shots:
        assert shot.user in demo_users, shot
        assert "{" not in path, path
        client.force_login(User.objects.get(username=shot.user))
        response = client.get(path)
        assert response.status_code == 200, (shot.file, path, response.status_code)
        client.logout()


def test_readme_shows_every_shot():
    tool = load_tool()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shot in tool.SHOTS:
        assert f"docs/screenshots/{shot.file}" in readme, shot.file
        assert (ROOT / "docs" / "screenshots" / shot.file).is_file(), shot.file
