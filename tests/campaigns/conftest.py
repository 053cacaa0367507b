import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files (work reports, notice attachments) go to a throw-away directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
