"""The demo school's photo consent: the Jansens' consent and its withdrawal, the De Vries
family's group page consent, all in the history; loading the demo again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from schoolportal.consent.models import ConsentChange, ConsentChannel, ConsentUse
from schoolportal.people.models import Pupil


@pytest.fixture
def school(demo_school, db):
    return demo_school


def test_demo_emmas_parent_gave_and_withdrew_website_consent(school):
    emma = Pupil.objects.get(first_name="Emma", last_name="Jansen")
    history = emma.consent_changes.order_by("pk")

    assert [(c.use, c.old_value, c.new_value) for c in history] == [
        (ConsentUse.GROUP_PAGE, False, True),
        (ConsentUse.WEBSITE, False, True),
        (ConsentUse.WEBSITE, True, False),
    ]
    assert {c.changed_by.email for c in history} == {"ouder.jansen@example.org"}
    assert {c.channel for c in history} == {ConsentChannel.PORTAL}
    assert (emma.photo_consent_group_page, emma.photo_consent_website) == (True, False)


def test_loading_the_demo_again_adds_no_consent_history(school):
    count = ConsentChange.objects.count()
    call_command("demo", stdout=StringIO())
    assert ConsentChange.objects.count() == count == 4
