"""The demo school's Inzagelog: directie finds juf Bakker's class list, their own change of
Emma's record and Marieke Jansen's own change; loading the demo again adds nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from schoolportal.accesslog.models import AccessLogEntry, Action, Screen


@pytest.fixture
def school(demo_school, db):
    return demo_school


def test_demo_log_tells_who_opened_and_changed_what(school, client):
    log = AccessLogEntry.objects.filter(school=school)

    assert (
        log.filter(
            user__email="juf.bakker@example.org", where=Screen.ADMIN_CLASS_LIST, pupil__isnull=False
        ).count()
        > 20
    )
    assert log.filter(
        user__email="directie@example.org",
        subject_name="Emma Jansen",
        action=Action.CHANGED,
        changed_fields="allergies",
    ).exists()
    assert log.filter(user__email="ouder.jansen@example.org", where=Screen.PORTAL_PROFILE).exists()

    client.force_login(get_user_model().objects.get(email="directie@example.org"))
    page = client.get("/admin/inzagelog/").content.decode()
    assert "Emma Jansen" in page


def test_loading_the_demo_again_adds_no_log_rows(school):
    before = AccessLogEntry.objects.count()

    call_command("demo", stdout=StringIO())

    assert AccessLogEntry.objects.count() == before
