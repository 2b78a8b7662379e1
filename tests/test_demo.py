"""`manage.py demo`: the demo school 'Basisschool De Regenboog', built idempotently."""

from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from schoolportal.mailings.models import (
    Mailing,
    MailingAttachment,
    ReplySlipAnswer,
    ReplySlipField,
    Sender,
)
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import (
    ClassParent,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)

DEMO_PASSWORD = "demo-wachtwoord"
DEMO_ACCOUNTS = [
    "ouder.jansen@example.org",
    "ouder.devries@example.org",
    "juf.bakker@example.org",
    "meester.visser@example.org",
    "directie@example.org",
]
PEOPLE_MODELS = [
    School,
    SchoolYear,
    Group,
    Pupil,
    Guardian,
    Guardianship,
    StaffMember,
    ClassParent,
    Group.teachers.through,
    Mailing,
    Mailing.groups.through,
    MailingAttachment,
    ReplySlipField,
    ReplySlipAnswer,
]


@pytest.fixture
def school(demo_school, db):
    return demo_school


def guardian(email):
    return Guardian.objects.get(user__email=email)


def pupil_names(guardian):
    return {(p.full_name, p.group.name) for p in guardian.pupils.select_related("group")}


def snapshot():
    """Every row of every model the demo touches, all fields."""
    User = get_user_model()
    data = {model._meta.label: sorted(model.objects.values_list()) for model in PEOPLE_MODELS}
    data["users"] = sorted(User.objects.values_list())
    data["pages"] = sorted(Page.objects.values_list("id", "path", "title", "slug", "live"))
    data["sites"] = sorted(Site.objects.values_list())
    return data


def test_demo_creates_the_school_with_eight_groups_of_about_25_pupils(school):
    groups = Group.objects.filter(school=school).order_by("lowest_year_level")

    assert [g.name for g in groups] == [f"Groep {n}" for n in range(1, 9)]
    sizes = {g.name: g.pupils.count() for g in groups}
    assert all(20 <= size <= 30 for size in sizes.values()), sizes
    assert Pupil.objects.filter(school=school, group__isnull=True).count() == 0


def test_demo_school_is_the_default_site(school):
    site = Site.objects.get(is_default_site=True)

    assert site.root_page.specific.school == school


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_demo_account_logs_in_with_the_demo_password(school, client, email):
    response = client.post("/account/inloggen/", {"username": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(email=email).pk)


def test_jansen_is_guardian_of_emma_and_daan_and_shares_contact_details(school):
    jansen = guardian("ouder.jansen@example.org")

    assert pupil_names(jansen) == {("Emma Jansen", "Groep 3"), ("Daan Jansen", "Groep 7")}
    assert jansen.address_hidden is False
    assert jansen.phone_hidden is False
    assert jansen.mobile_phone_hidden is False


def test_de_vries_is_guardian_of_sophie_and_hides_contact_details(school):
    de_vries = guardian("ouder.devries@example.org")

    assert pupil_names(de_vries) == {("Sophie de Vries", "Groep 3")}
    assert de_vries.address_hidden is True
    assert de_vries.phone_hidden is True
    assert de_vries.mobile_phone_hidden is True


@pytest.mark.parametrize(
    ("email", "group"),
    [("juf.bakker@example.org", "Groep 3"), ("meester.visser@example.org", "Groep 7")],
)
def test_demo_teacher_teaches_their_group(school, email, group):
    teacher = StaffMember.objects.get(user__email=email)

    assert teacher.role == StaffRole.TEACHER
    assert list(teacher.groups.values_list("name", flat=True)) == [group]


def test_directie_is_management(school):
    director = StaffMember.objects.get(user__email="directie@example.org")

    assert director.role == StaffRole.MANAGEMENT
    assert director.school == school


def test_named_children_and_families_are_unique(school):
    assert sorted(
        Pupil.objects.filter(first_name__in=["Emma", "Daan", "Sophie"]).values_list(
            "first_name", "infix", "last_name"
        )
    ) == [("Daan", "", "Jansen"), ("Emma", "", "Jansen"), ("Sophie", "de", "Vries")]
    jansen = guardian("ouder.jansen@example.org")
    assert set(Pupil.objects.filter(last_name__iexact="Jansen")) == set(jansen.pupils.all())
    assert set(Pupil.objects.filter(last_name__iexact="Vries")) == set(
        guardian("ouder.devries@example.org").pupils.all()
    )
    assert set(
        Guardian.objects.filter(last_name__iexact="Jansen").values_list("first_name", flat=True)
    ) == {"Marieke", "Peter"}
    assert list(
        Guardian.objects.filter(last_name__iexact="Vries").values_list("first_name", flat=True)
    ) == ["Annelies"]
    assert not Pupil.objects.filter(last_name__icontains="de vries").exists()


def test_running_demo_again_changes_nothing(school):
    before = snapshot()

    call_command("demo", stdout=StringIO())

    after = snapshot()
    for key in before:
        assert len(after[key]) == len(before[key]), key
        assert after[key] == before[key], key


def test_demo_has_mailings_of_the_last_weeks_from_school_teacher_class_parents_and_mr(school):
    mailings = Mailing.objects.sent()
    senders = set(mailings.values_list("sender", flat=True))

    assert {Sender.SCHOOL, Sender.TEACHER, Sender.CLASS_PARENTS, Sender.PARTICIPATION_COUNCIL} <= (
        senders
    )
    assert all(mailing.latest_revision_id for mailing in mailings)  # made through Wagtail
    newest, oldest = mailings.order_by("-sent_at")[0], mailings.order_by("sent_at")[0]
    assert (newest.sent_at - oldest.sent_at).days >= 14
    assert MailingAttachment.objects.filter(mailing__in=mailings).exists()


def test_demo_has_an_open_and_a_closed_reply_slip(school):
    with_slips = Mailing.objects.filter(reply_fields__isnull=False).distinct()
    open_slips = [mailing for mailing in with_slips if mailing.reply_slip_open()]
    closed = [mailing for mailing in with_slips if not mailing.reply_slip_open()]

    assert [m.reply_fields.first().label for m in open_slips] == [
        "Wie rijdt er mee naar de kinderboerderij?"
    ]
    assert len(closed) == 1
    assert ReplySlipAnswer.objects.filter(mailing=closed[0]).exists()


def test_loading_the_demo_sends_no_email(school):
    assert not OutboxMessage.objects.exists()


def test_demo_is_refused_when_demo_data_is_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    before = {model: model.objects.count() for model in PEOPLE_MODELS}

    with (
        mock.patch("schoolportal.demo.management.commands.demo.DemoSchoolBuilder") as builder,
        pytest.raises(CommandError, match="refused"),
    ):
        call_command("demo")

    builder.assert_not_called()
    assert {model: model.objects.count() for model in PEOPLE_MODELS} == before


def test_demo_albums_have_their_photo_sizes_without_a_task_worker(school):
    from pages.models import AlbumPhoto
    from pages.renditions import photos_missing

    photos = AlbumPhoto.objects.all()
    assert photos.exists()
    for spec in AlbumPhoto.SIZES.values():
        assert photos_missing(photos, spec) == set()


def test_daan_jansen_is_ill_until_the_day_after_tomorrow(school):
    from datetime import timedelta

    from django.utils import timezone

    from schoolportal.absences.models import AbsenceReport, EndedBy, Reason

    daan = Pupil.objects.get(school=school, first_name="Daan", last_name="Jansen")
    current = AbsenceReport.objects.open().get(pupil=daan)
    today = timezone.localdate()
    assert (current.reason, current.first_day, current.expected_return) == (
        Reason.ILLNESS,
        today,
        today + timedelta(days=2),
    )
    history = AbsenceReport.objects.ended().exclude(pupil=daan)
    assert history.values("pupil").distinct().count() >= 10
    assert set(history.values_list("ended_by", flat=True)) == set(EndedBy.values)


def test_running_demo_again_adds_no_absences(school):
    from schoolportal.absences.models import AbsenceReport

    before = AbsenceReport.objects.count()
    call_command("demo", stdout=StringIO())
    assert AbsenceReport.objects.count() == before


def test_the_demo_school_uses_overblijven_with_children_on_fixed_weekdays(school):
    from schoolportal.lunch.models import LunchDay

    school.refresh_from_db()
    assert school.lunch_enabled
    emma = Pupil.objects.get(school=school, first_name="Emma", last_name="Jansen")
    weekdays = set(LunchDay.objects.filter(pupil=emma).values_list("date__week_day", flat=True))
    assert weekdays <= {3, 5}  # Tuesdays and Thursdays (Django counts Sunday as 1)
    assert LunchDay.objects.filter(school=school).values("pupil").distinct().count() >= 5

    before = LunchDay.objects.count()
    call_command("demo", stdout=StringIO())
    assert LunchDay.objects.count() == before


def test_the_demo_has_an_open_round_for_groep_3_and_a_closed_one(school, client):
    from django.urls import reverse
    from django.utils import timezone

    from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot

    now = timezone.now()
    current = InterviewRound.objects.get(school=school, booking_closes_at__gt=now)
    assert [g.name for g in current.groups.all()] == ["Groep 3"]
    assert {s.teacher.display_name for s in current.slots.select_related("teacher")} == {
        "juf Bakker"
    }
    assert InterviewBooking.objects.filter(round=current).count() >= 3
    assert InterviewSlot.objects.free().filter(round=current).count() >= 5
    assert InterviewRound.objects.filter(school=school, booking_closes_at__lt=now).exists()

    client.force_login(get_user_model().objects.get(email="ouder.jansen@example.org"))
    page = client.get(reverse("interviews:index")).text
    assert "Tienminutengesprekken groep 3" in page and "Tijd kiezen" in page

    before = InterviewBooking.objects.count(), InterviewSlot.objects.count()
    call_command("demo", stdout=StringIO())
    assert (InterviewBooking.objects.count(), InterviewSlot.objects.count()) == before


def test_the_demo_has_reactions_under_a_groep_3_post_that_the_digest_never_mails(school):
    from schoolportal.reactions import digest
    from schoolportal.reactions.models import Reaction

    reactions = Reaction.objects.filter(post__title="Welkom in groep 3").order_by("created_at")

    assert [(r.author_name, r.by_staff) for r in reactions] == [
        ("Annelies de Vries", False),
        ("juf Bakker", True),
    ]
    assert digest.send_digests() == 0
    assert not OutboxMessage.objects.exists()
