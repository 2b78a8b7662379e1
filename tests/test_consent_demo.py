"""The demo school's photo consent: the Jansens' consent and its withdrawal, the De Vries
family's group page consent, all in the history; loading the demo again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from pages.models import AlbumPhoto
from schoolportal import access
from schoolportal.accounts.models import User
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


def test_demo_album_photo_shows_a_classmate_without_consent_hidden_from_marieke(school):
    photo = AlbumPhoto.objects.get(caption="Uitje naar de kinderboerderij (2)")
    tagged = list(photo.pupils.all())
    marieke = User.objects.get(email="ouder.jansen@example.org")
    bakker = User.objects.get(email="juf.bakker@example.org")
    # The editor reads the latest revision: the tag is there too.
    draft = photo.album.get_latest_revision_as_object().photos.all()
    in_revision = next(row for row in draft if row.caption == photo.caption)

    assert len(tagged) == 1 and not tagged[0].photo_consent_group_page
    assert tagged[0].group.name == photo.album.get_parent().specific.group.name
    assert [pupil.pk for pupil in in_revision.pupils.all()] == [tagged[0].pk]
    assert not access.album_photos_for(marieke).filter(pk=photo.pk).exists()
    assert access.album_photos_for(marieke).filter(album=photo.album).exists()
    assert access.album_photos_for(bakker).filter(pk=photo.pk).exists()
