"""Mijn gegevens downloaden (issue #20): one ZIP with everything about a parent and their
children, nothing of anybody else, built by the queue and offered to them alone for a week."""

import io
import json
import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from schoolportal.dataexport import building, cleanup
from schoolportal.dataexport.models import DataExport
from schoolportal.dataexport.sections import SECTIONS
from tests.dataexport_world import (
    CO_PARENTS_OWN,
    OTHER_FAMILY,
    PARENTS_OWN,
    build_world,
)
from tests.factories import data_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def export_of(user, committed):
    """Ask for an export as the profile page does, and let the (synchronous) queue build it."""
    with committed():
        export, created = building.request_export(user)
    assert created
    export.refresh_from_db()
    return export


def zip_texts(export):
    """Every member of the export's ZIP: {name: content as text}."""
    with export.file.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def everything(texts):
    return "\n".join([*texts, *texts.values()])


# --- What is in it ---------------------------------------------------------------------------


def test_the_export_holds_each_kind_of_the_familys_own_data(world, committed):
    export = export_of(world.parent.user, committed)
    texts = zip_texts(export)
    found = everything(texts)

    assert export.status == DataExport.Status.READY
    assert {"index.html", "gegevens.json"} <= set(texts)
    for expected in (
        "marieke.verbeek@example.org",  # profile
        "Anouk de oppas",  # babysitter
        "Lotte Verbeek",  # child
        "Astma van Lotte",  # medical notes
        "Oma Truus",  # emergency contact
        "Joost Verbeek",  # the co-guardian, by name
        "foto&#x27;s op de website van school",  # consent history
        "Bruiloft van oom",  # absences
        "Rapport van Lotte",  # reports
        "Goed gewerkt",  # test results
        "Marieke rijdt mee",  # reply-slip answers
        "Wie rijdt er mee?",
        "Lezen",  # interview booking
        "Gesprek over Lotte",  # Berichten, with the message and its attachment
        "Alleen voor Marieke",
        "verslag-lotte.pdf",
        "marieke-bijlage-inhoud",  # the attachment's own bytes
        "%PDF-1.4 rapport",  # the report's PDF
        "Wat een mooie foto's",  # her reaction under a blog post
        "Uitje naar de kinderboerderij",  # the post she follows
    ):
        assert expected in found, expected
    data = json.loads(texts["gegevens.json"])
    assert list(data["sections"]) == [
        "profile",
        "children",
        "photo_consent",
        "absences",
        "lunch",
        "interviews",
        "results",
        "reply_slips",
        "messages",
        "reactions",
    ]
    lunch = data["sections"]["lunch"]["tables"][0]["rows"]
    assert [row["date"] for row in lunch] == [str(timezone.localdate() + timedelta(days=7))]


def test_the_export_holds_nothing_of_another_family_in_the_same_group(world, committed):
    texts = zip_texts(export_of(world.parent.user, committed))
    found = everything(texts)

    leaked = [secret for secret in OTHER_FAMILY + CO_PARENTS_OWN if secret in found]
    assert leaked == []
    # The co-guardian's contact details are theirs, too.
    assert "joost.verbeek@example.org" not in found
    assert "06-33333334" not in found


def test_a_co_guardian_gets_the_childs_data_but_not_the_other_parents_own(world, committed):
    found = everything(zip_texts(export_of(world.co_parent.user, committed)))

    for childs in ("Bruiloft van oom", "Rapport van Lotte", "Oma Truus", "Marieke rijdt mee"):
        assert childs in found
    assert "Alleen voor Joost" in found and "joost-bijlage-inhoud" in found
    assert [own for own in PARENTS_OWN if own in found] == []
    assert "marieke.verbeek@example.org" not in found
    assert [secret for secret in OTHER_FAMILY if secret in found] == []


def test_the_readable_page_is_dutch_and_loads_nothing_from_elsewhere(world, committed):
    page = zip_texts(export_of(world.parent.user, committed))["index.html"]

    assert '<html lang="nl">' in page
    assert page.count("<h1>") == 1
    assert "<script" not in page
    assert "http://" not in page and "https://" not in page
    assert 'href="rapporten/' in page and 'href="berichten/' in page


# --- The queue, progress, one at a time ---------------------------------------------------------


def test_asking_on_the_profile_page_builds_it_through_the_queue(client, world, committed):
    client.force_login(world.parent.user)
    with committed():
        response = client.post(reverse("dataexport:start"))

    assert response.status_code == 302
    assert response["Location"].endswith("#mijn-gegevens")
    export = DataExport.objects.get(user=world.parent.user)
    assert export.status == DataExport.Status.READY
    assert export.progress == 100
    assert export.expires_at == export.finished_at + timedelta(days=7)
    page = client.get(reverse("portal:profile")).content.decode()
    assert reverse("dataexport:download", args=[export.pk]) in page
    # The e-mail has the link, not the file.
    [email] = [m for m in mail.outbox if m.to == ["marieke.verbeek@example.org"]]
    assert reverse("dataexport:download", args=[export.pk]) in email.body
    assert "kunt u niet antwoorden" in email.body
    assert not email.attachments


def test_the_task_records_its_progress_section_by_section(world):
    export = DataExport.objects.create(user=world.parent.user)
    seen = []
    record = building._progress

    def watch(export_id, percent):
        record(export_id, percent)
        seen.append(DataExport.objects.get(pk=export_id).progress)

    with mock.patch.object(building, "_progress", watch):
        building.build(export.pk)

    assert len(seen) >= len(SECTIONS)
    assert seen == sorted(seen) and seen[0] > 0 and seen[-1] < 100
    export.refresh_from_db()
    assert export.progress == 100


def test_a_second_request_while_one_runs_shows_the_running_one(client, world):
    client.force_login(world.parent.user)
    # Not committed: the task waits in the queue, as it does while a worker is busy.
    client.post(reverse("dataexport:start"))
    DataExport.objects.update(status=DataExport.Status.RUNNING, progress=40)

    response = client.post(reverse("dataexport:start"), follow=True)

    assert DataExport.objects.filter(user=world.parent.user).count() == 1
    page = response.content.decode()
    assert "Uw gegevens worden al klaargemaakt." in page
    assert "Uw gegevens worden klaargemaakt… 40%" in page
    assert reverse("dataexport:status") in page
    status = client.get(reverse("dataexport:status")).json()
    assert status == {
        "status": "running",
        "progress": 40,
        "text": "Uw gegevens worden klaargemaakt… 40%",
    }


def test_the_task_builds_an_export_once_also_when_delivered_twice(world, committed):
    export = export_of(world.parent.user, committed)
    name = export.file.name

    building.build(export.pk)

    export.refresh_from_db()
    assert export.file.name == name
    assert DataExport.objects.count() == 1


def test_a_new_export_replaces_the_older_download(world, committed):
    old = data_export(world.parent.user)
    old_file = old.file.name

    new = export_of(world.parent.user, committed)

    assert list(DataExport.objects.values_list("pk", flat=True)) == [new.pk]
    assert not default_storage.exists(old_file)


# --- Who opens the link, and for how long ----------------------------------------------------


def test_the_download_is_the_parents_alone(client, world):
    export = data_export(world.parent.user, content=b"PK eigen")
    url = reverse("dataexport:download", args=[export.pk])

    for other in (world.other_parent.user, world.co_parent.user):
        client.force_login(other)
        assert client.get(url).status_code == 404
    # Staff without children at school are sent to the admin, as from every parent page.
    client.force_login(world.teacher.user)
    assert client.get(url)["Location"] == reverse("wagtailadmin_home")
    client.force_login(world.parent.user)
    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK eigen"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]


def test_the_link_answers_404_after_seven_days_and_the_schedule_deletes_the_file(
    client, world, committed
):
    export = data_export(world.parent.user)
    url = reverse("dataexport:download", args=[export.pk])
    stored = export.file.name
    later = timezone.now() + timedelta(days=7, minutes=1)

    with mock.patch("django.utils.timezone.now", return_value=later):
        client.force_login(world.parent.user)  # a session of that day
        assert client.get(url).status_code == 404
        profile = client.get(reverse("portal:profile")).content.decode()
        assert "Download het ZIP-bestand" not in profile
        with committed():
            cleanup.run()

    assert not DataExport.objects.exists()
    assert not default_storage.exists(stored)
    assert client.get(url).status_code == 404


def test_a_day_before_expiry_the_link_still_works(client, world):
    export = data_export(world.parent.user)
    later = timezone.now() + timedelta(days=6)

    with mock.patch("django.utils.timezone.now", return_value=later):
        client.force_login(world.parent.user)
        cleanup.run()
        response = client.get(reverse("dataexport:download", args=[export.pk]))

    assert response.status_code == 200


def test_an_export_whose_worker_died_fails_so_the_parent_can_ask_again(client, world):
    stuck = DataExport.objects.create(user=world.parent.user, status=DataExport.Status.RUNNING)
    later = timezone.now() + timedelta(hours=1)

    with mock.patch("django.utils.timezone.now", return_value=later):
        cleanup.run()

    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    client.force_login(world.parent.user)
    page = client.get(reverse("portal:profile")).content.decode()
    assert "Het klaarmaken is mislukt. Probeer het opnieuw." in page
    client.post(reverse("dataexport:start"))
    assert DataExport.objects.filter(status=DataExport.Status.QUEUED).count() == 1


# --- Speed ------------------------------------------------------------------------------------


def test_building_takes_the_same_number_of_queries_for_more_data(
    world, django_assert_max_num_queries
):
    from tests.dataexport_world import family_data

    def queries_for_export():
        export = DataExport.objects.create(user=world.parent.user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            building.build(export.pk)
        DataExport.objects.filter(pk=export.pk).delete()
        return len(queries)

    first = queries_for_export()
    # A second child with every kind of data, in another conversation and another round.
    from tests.factories import GuardianshipFactory, PupilFactory

    second = PupilFactory(first_name="Bas", last_name="Verbeek", group=world.child.group)
    GuardianshipFactory(guardian=world.parent, pupil=second)
    family_data(
        second,
        world.parent,
        world.teacher,
        world.mailing,
        {
            "contact": "Opa Bas",
            "absence": "Griep",
            "lunch_in": 9,
            "report": "Rapport van Bas",
            "result": "Prima",
            "answer": "Ja",
            "conversation": "Over Bas",
            "message": "Bas is ziek",
            "file": "bas.pdf",
            "file_content": b"%PDF-1.4 bas",
        },
    )

    assert queries_for_export() == first
    with django_assert_max_num_queries(60):
        building.build(DataExport.objects.create(user=world.parent.user).pk)


def test_the_profile_page_follows_the_export_though_parent_pages_are_cached(client, world):
    client.force_login(world.parent.user)
    profile = reverse("portal:profile")
    assert "Mijn gegevens downloaden" in client.get(profile).content.decode()  # now cached

    client.post(reverse("dataexport:start"))  # queued: the worker has not started yet
    messages_shown = client.get(profile)  # the flash message of the post
    assert "Uw gegevens worden klaargemaakt… 0%" in messages_shown.content.decode()
    DataExport.objects.update(status=DataExport.Status.RUNNING, progress=60)
    assert "Uw gegevens worden klaargemaakt… 60%" in client.get(profile).content.decode()
    DataExport.objects.update(status=DataExport.Status.QUEUED)
    building.build(DataExport.objects.get().pk)

    page = client.get(profile).content.decode()
    assert "Download het ZIP-bestand" in page
    assert "wordt klaargemaakt" not in page


def test_the_cleanup_runs_on_a_schedule_made_by_migrate():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func=cleanup.RUN)

    assert schedule.schedule_type == Schedule.MINUTES and schedule.repeats == -1
