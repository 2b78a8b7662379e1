from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    from schoolportal.mailings import delivery
    from schoolportal.newsletters import delivery as newsletter_delivery

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    # The renderers keep a mailing's (an issue's) rendering for a few seconds, keyed by id;
    # ids come back after a rolled-back test, so every test starts without another's e-mail.
    delivery._PROTOTYPES.clear()
    newsletter_delivery._PROTOTYPES.clear()
    yield
    cache.clear()
    delivery._PROTOTYPES.clear()
    newsletter_delivery._PROTOTYPES.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the on_commit callbacks (queued tasks) of the block.

    Tests run inside a transaction that never commits, so without this the tasks a
    request queues for after its commit would never run.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    """The demo school, built once per module inside a transaction rolled back afterwards.

    Each test runs in a savepoint within it, so tests still cannot see each other's changes,
    and no other module sees the demo data.
    """
    from schoolportal.people.models import School

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("demo", stdout=StringIO())
        school = School.objects.get(name="Basisschool De Regenboog")
    try:
        yield school
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
