"""Issue #20, bewaartermijnen: each kind of data is removed or anonymised once its period
(``RETENTION_DAYS``) has passed, by a daily django-q2 schedule and ``manage.py retention``;
a dry run only counts. The clock is frozen by handing every run the same ``NOW``."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule
from wagtail.images import get_image_model

from pages.models import PhotoAlbumPage
from schoolportal.absences.models import AbsenceReport, Reason
from schoolportal.accesslog.models import AccessLogEntry, Action, Screen
from schoolportal.accounts.models import EmailChange, Invitation, LoginSession, User
from schoolportal.consent.models import ConsentChange, ConsentChannel, ConsentUse
from schoolportal.conversations.models import (
    Conversation,
    Message,
    MessageAttachment,
    Participant,
)
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian, StaffRole
from schoolportal.privacy import retention, schedule
from schoolportal.privacy.models import PrivacyLogEntry
from schoolportal.results import models as results
from tests.factories import (
    GroupFactory,
    MailingFactory,
    PupilFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    group_page,
    parent_of,
    photo_album,
    pupil_result,
    school_report,
)

pytestmark = pytest.mark.django_db

ZONE = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2030, 1, 15, 12, 0, tzinfo=ZONE)
TODAY = NOW.date()


def ago(days, **more):
    return NOW - timedelta(days=days, **more)


def conversation(school, guardian, staff, last_message_days_ago, with_file=False):
    talk = Conversation.objects.create(
        school=school, subject="Over Emma", last_message_at=ago(last_message_days_ago)
    )
    parent = Participant.objects.create(conversation=talk, guardian=guardian)
    Participant.objects.create(conversation=talk, staff_member=staff)
    message = Message.objects.create(
        conversation=talk, sender=parent, body="Emma is ziek", sent_at=ago(last_message_days_ago)
    )
    if with_file:
        attachment = MessageAttachment(message=message, name="briefje.pdf", size=9)
        attachment.file.save("briefje.pdf", ContentFile(b"%PDF-1.4 "), save=True)
    return talk


def interview_booking(school, teacher, pupil, ends_days_ago):
    start = ago(ends_days_ago, minutes=10)
    talk_round = InterviewRound.objects.create(
        school=school,
        title="Gesprekken",
        slot_minutes=10,
        booking_opens_at=start - timedelta(days=14),
        booking_closes_at=start - timedelta(days=7),
    )
    slot = InterviewSlot.objects.create(
        round=talk_round, teacher=teacher, starts_at=start, ends_at=ago(ends_days_ago)
    )
    return InterviewBooking.objects.create(slot=slot, round=talk_round, pupil=pupil)


@pytest.fixture
def world():
    """For every kind one row just past its period (``due``) and one just within (``kept``)."""
    old_year = SchoolYearFactory(
        name="2027-2028", start_date=date(2027, 8, 23), end_date=date(2028, 7, 14)
    )
    school = old_year.school
    year = SchoolYearFactory(
        school=school, name="2029-2030", start_date=date(2029, 8, 20), end_date=date(2030, 7, 12)
    )
    group = GroupFactory(school_year=year)
    old_group = GroupFactory(school_year=old_year)
    emma = PupilFactory(group=group, first_name="Emma")
    left_long_ago = PupilFactory(group=None, school=school, left_on=TODAY - timedelta(days=366))
    left_lately = PupilFactory(group=None, school=school, left_on=TODAY - timedelta(days=300))
    left_for_a_while = PupilFactory(group=None, school=school, left_on=TODAY - timedelta(days=91))
    parent = parent_of(emma)
    gone_family = parent_of(left_for_a_while)
    mixed_family = parent_of(left_for_a_while, emma)
    teacher = StaffMemberFactory(school=school, role=StaffRole.TEACHER)
    due, kept = {}, {}

    due["conversations"] = conversation(school, parent, teacher, 731, with_file=True)
    kept["conversations"] = conversation(school, parent, teacher, 729)

    old_mailing = MailingFactory(school=school)
    new_mailing = MailingFactory(school=school)
    for mailing, days in ((old_mailing, 366), (new_mailing, 364)):
        type(mailing).objects.filter(pk=mailing.pk).update(sent_at=ago(days))
    due["reply_slip_answers"] = ReplySlipAnswer.objects.create(
        mailing=old_mailing, pupil=emma, answered_by=parent.user
    )
    kept["reply_slip_answers"] = ReplySlipAnswer.objects.create(
        mailing=new_mailing, pupil=emma, answered_by=parent.user
    )
    ReplySlipAnswer.objects.filter(pk=due["reply_slip_answers"].pk).update(updated_at=ago(366))

    for key, ended in (("due", 731), ("kept", 729)):
        report = AbsenceReport.objects.create(
            pupil=emma,
            school=school,
            group=group,
            reason=Reason.ILLNESS,
            first_day=TODAY - timedelta(days=ended + 2),
            ended_at=ago(ended),
        )
        (due if key == "due" else kept)["absences"] = report
    kept["open_absence"] = AbsenceReport.objects.create(
        pupil=emma, school=school, group=group, reason=Reason.ILLNESS, first_day=date(2020, 1, 6)
    )

    due["lunch_days"] = LunchDay.objects.create(
        pupil=emma, school=school, date=TODAY - timedelta(days=7 * 365 + 1)
    )
    kept["lunch_days"] = LunchDay.objects.create(
        pupil=emma, school=school, date=TODAY - timedelta(days=7 * 365 - 1)
    )

    due["interview_bookings"] = interview_booking(school, teacher, emma, 366)
    kept["interview_bookings"] = interview_booking(school, teacher, emma, 364)

    due["album_photos"] = photo_album(group_page(old_group), title="Schoolreis 2028")
    kept["album_photos"] = photo_album(group_page(group), title="Herfstwandeling")

    due["results_of_pupils_who_left"] = left_long_ago
    school_report(left_long_ago)
    pupil_result(left_long_ago, taken_on=date(2028, 5, 1))
    kept["results_of_pupils_who_left"] = left_lately
    pupil_result(left_lately, taken_on=date(2028, 5, 1))

    for pupil, key in ((left_long_ago, "due"), (left_lately, "kept")):
        change = ConsentChange.objects.create(
            pupil=pupil,
            use=ConsentUse.GROUP_PAGE,
            new_value=True,
            changed_by_name="Ouder",
            channel=ConsentChannel.PORTAL,
        )
        (due if key == "due" else kept)["consent_history_of_pupils_who_left"] = change

    due["accounts_of_families_who_left"] = gone_family
    kept["accounts_of_families_who_left"] = mixed_family

    for key, days, status in (
        ("due", 91, "sent"),
        ("kept", 89, "sent"),
        ("pending", 91, "pending"),
    ):
        row = OutboxMessage.objects.create(
            kind="test", cause_id=days, recipient_email=f"{key}@example.org", status=status
        )
        OutboxMessage.objects.filter(pk=row.pk).update(created_at=ago(days))
        (due if key == "due" else kept)["outbox" if key != "pending" else "pending_outbox"] = row

    for key, days in (("due", 31), ("kept", 29)):
        (due if key == "due" else kept)["email_changes"] = EmailChange.objects.create(
            user=parent.user,
            old_email="a@example.org",
            new_email="b@example.org",
            created_at=ago(days),
        )

    for key, days in (("due", 91), ("kept", 89)):
        (due if key == "due" else kept)["invitations"] = Invitation.objects.create(
            email=parent.user.email,
            user=parent.user,
            token_hash=f"{key:0<64}",
            created_at=ago(days + 14),
            expires_at=ago(days),
        )
    for key, days in (("due", 366), ("kept", 364)):
        (due if key == "due" else kept)["access_log"] = AccessLogEntry.objects.create(
            at=ago(days),
            school=school,
            action=Action.VIEWED,
            where=Screen.ADMIN_PUPIL,
            pupil=emma,
            subject_name="Emma",
        )

    for key, days in (("due", 31), ("kept", 29)):
        (due if key == "due" else kept)["login_sessions"] = LoginSession.objects.create(
            user=parent.user, session_key=f"{key:x<40}", last_seen=ago(days)
        )
    return {"due": due, "kept": kept, "parent": parent}


def exists(row):
    return type(row).objects.filter(pk=row.pk).exists()


KINDS = [rule.kind for rule in retention.RULES]
REMOVED_KINDS = [
    kind
    for kind in KINDS
    if kind not in {"results_of_pupils_who_left", "accounts_of_families_who_left"}
]


def test_every_kind_has_a_due_and_a_kept_row_in_the_world(world):
    assert set(world["due"]) == set(KINDS)


@pytest.mark.parametrize("kind", REMOVED_KINDS)
def test_a_run_removes_what_is_past_its_period_and_keeps_what_is_not(world, kind):
    retention.run(now=NOW)

    assert not exists(world["due"][kind])
    assert exists(world["kept"][kind])


def test_results_and_reports_of_a_pupil_who_left_long_ago_go_with_their_files(
    world, django_capture_on_commit_callbacks
):
    gone = world["due"]["results_of_pupils_who_left"]
    report = results.SchoolReport.objects.get(pupil=gone)
    storage, name = report.file.storage, report.file.name

    with django_capture_on_commit_callbacks(execute=True):
        retention.run(now=NOW)

    assert not results.SchoolReport.objects.filter(pupil=gone).exists()
    assert not results.TestResult.objects.filter(pupil=gone).exists()
    assert not storage.exists(name)
    assert exists(gone), "the pupil's record is the school's, not removed by the portal"
    assert results.TestResult.objects.filter(
        pupil=world["kept"]["results_of_pupils_who_left"]
    ).exists()


def test_a_family_whose_children_all_left_loses_account_and_contact_details(world):
    gone = world["due"]["accounts_of_families_who_left"]
    user_id = gone.user_id

    retention.run(now=NOW)

    gone.refresh_from_db()
    assert gone.user_id is None and not User.objects.filter(pk=user_id).exists()
    assert (gone.email, gone.phone, gone.street, gone.first_name) == ("", "", "", "")
    assert not gone.guardianships.exists()
    mixed = Guardian.objects.get(pk=world["kept"]["accounts_of_families_who_left"].pk)
    assert mixed.user_id is not None and mixed.email


def test_open_absences_and_unsent_email_are_never_due(world):
    retention.run(now=NOW)

    assert exists(world["kept"]["open_absence"])
    assert exists(world["kept"]["pending_outbox"])


def test_conversation_files_leave_storage(world, django_capture_on_commit_callbacks):
    attachment = MessageAttachment.objects.get(message__conversation=world["due"]["conversations"])
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        retention.run(now=NOW)

    assert not storage.exists(name)


def test_album_photos_of_a_past_year_leave_storage_with_their_renditions(
    world, django_capture_on_commit_callbacks
):
    album = world["due"]["album_photos"]
    images = [photo.image for photo in album.photos.all()]
    files = [(image.file.storage, image.file.name) for image in images]
    renditions = [
        (rendition.file.storage, rendition.file.name)
        for image in images
        for rendition in image.renditions.all()
    ]
    assert renditions, "a live album has its photos' sizes"

    with django_capture_on_commit_callbacks(execute=True):
        retention.run(now=NOW)

    assert not PhotoAlbumPage.objects.filter(pk=album.pk).exists()
    assert not get_image_model().objects.filter(pk__in=[image.pk for image in images]).exists()
    for storage, name in files + renditions:
        assert not storage.exists(name)
    kept = world["kept"]["album_photos"]
    assert PhotoAlbumPage.objects.get(pk=kept.pk).photos.count() == 2


def test_a_dry_run_counts_each_kind_and_changes_nothing(world):
    outcomes = retention.run(now=NOW, dry_run=True)

    assert {outcome.rule.kind: outcome.count for outcome in outcomes} == dict.fromkeys(KINDS, 1)
    for kind in KINDS:
        assert exists(world["due"][kind])
    assert not PrivacyLogEntry.objects.exists()


def test_a_run_logs_its_counts_without_names(world):
    retention.run(now=NOW)

    entry = PrivacyLogEntry.objects.get()
    assert entry.action == PrivacyLogEntry.Action.RETENTION
    assert entry.counts == dict.fromkeys(KINDS, 1)
    assert entry.subject == "" and entry.handled_by is None


def test_a_second_run_finds_nothing_more(world):
    retention.run(now=NOW)
    outcomes = retention.run(now=NOW)

    assert all(outcome.count == 0 for outcome in outcomes)


def test_a_longer_period_in_the_settings_keeps_more(world, settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "conversations": 1000}

    retention.run(now=NOW)

    assert exists(world["due"]["conversations"])


@pytest.fixture
def email_changes():
    """The command runs on the real clock: one request past its 30 days, one of today."""
    user = parent_of().user
    old = EmailChange.objects.create(
        user=user,
        old_email="oud@example.org",
        new_email="vergeten@example.org",
        created_at=timezone.now() - timedelta(days=31),
    )
    new = EmailChange.objects.create(
        user=user, old_email="oud@example.org", new_email="nieuw@example.org"
    )
    return old, new


def test_the_command_dry_run_shows_counts_and_with_verbosity_the_objects(email_changes):
    output = StringIO()
    call_command("retention", "--dry-run", verbosity=2, stdout=output)

    text = output.getvalue()
    assert "email_changes: 1 zou(den) worden verwijderd (termijn 30 dagen)" in text
    assert "vergeten@example.org" in text
    assert "nieuw@example.org" not in text
    assert "Proefdraaien: er is niets veranderd." in text
    assert EmailChange.objects.count() == 2


def test_the_command_without_dry_run_removes_and_reports(email_changes):
    output = StringIO()
    call_command("retention", stdout=output)

    assert "email_changes: 1 verwijderd" in output.getvalue()
    assert list(EmailChange.objects.all()) == [email_changes[1]]


def test_the_daily_schedule_exists():
    Schedule.objects.filter(name=schedule.NAME).delete()
    schedule.ensure_schedule()

    task = Schedule.objects.get(name=schedule.NAME)
    assert task.func == "schoolportal.privacy.retention.run_scheduled"
    assert task.schedule_type == Schedule.DAILY
    assert task.repeats == -1
