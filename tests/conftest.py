import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run transaction.on_commit callbacks (the queued tasks) as a committed request would."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        yield callbacks
