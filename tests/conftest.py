import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the on_commit callbacks (queued tasks) of the block.

    Tests run inside a transaction that never commits, so without this the tasks a
    request queues for after its commit would never run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)
