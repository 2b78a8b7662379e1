"""Oudergesprekken for staff: planning a round generates its slots and can write the
invitation mailing, a teacher blocks or adds her own times, staff book, move and cancel for
a parent, and the schedule (printable, CSV) as it fills; each in the user's own scope."""

import csv
import io
from datetime import time

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from schoolportal.interviews import rules
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.mailings.models import Mailing
from schoolportal.people.models import StaffRole
from tests.absence_helpers import family
from tests.factories import StaffMemberFactory
from tests.interview_helpers import INTERVIEW_DAY, moment, open_round

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


@pytest.fixture
def school():
    home = family()
    manager = StaffMemberFactory(school=home.group.school, role=StaffRole.MANAGEMENT)
    return home, manager


def login(client, staff):
    client.force_login(staff.user)
    return client


def test_management_plans_a_round_its_slots_follow_and_the_invitation_is_a_draft(client, school):
    home, manager = school
    data = nested_form_data(
        {
            "title": "Tienminutengesprekken",
            "booking_opens_at": "2027-03-08 08:00",
            "booking_closes_at": "2027-03-12 17:00",
            "early_booking_days": "0",
            "slot_minutes": "15",
            "location": "",
            "video_link": "",
            "write_invitation": "on",
            "days": inline_formset(
                [
                    {
                        "teacher": home.teacher.pk,
                        "date": INTERVIEW_DAY.isoformat(),
                        "start_time": "18:00",
                        "end_time": "19:00",
                        "breaks": "18:30-18:45",
                        "room": "lokaal 3",
                    }
                ]
            ),
        }
    )
    data["groups"] = [home.group.pk]
    response = login(client, manager).post(url(InterviewRound, "add"), data)
    assert response.status_code == 302, response.context["form"].errors
    interview_round = InterviewRound.objects.get()
    assert interview_round.school == home.group.school
    starts = sorted(s.strftime("%H:%M") for s in _local(interview_round.slots.all()))
    assert starts == ["18:00", "18:15", "18:45"]
    mailing = Mailing.objects.get()
    assert not mailing.live and list(mailing.groups.all()) == [home.group]
    assert reverse("interviews:round", args=[interview_round.pk]) in mailing.body


def _local(slots):
    from django.utils import timezone

    return [timezone.localtime(slot.starts_at) for slot in slots]


def test_a_bad_break_is_refused_and_nothing_saved(client, school):
    home, manager = school
    data = nested_form_data(
        {
            "title": "Ronde",
            "booking_opens_at": "2027-03-08 08:00",
            "booking_closes_at": "2027-03-12 17:00",
            "early_booking_days": "0",
            "slot_minutes": "10",
            "days": inline_formset(
                [
                    {
                        "teacher": home.teacher.pk,
                        "date": INTERVIEW_DAY.isoformat(),
                        "start_time": "18:00",
                        "end_time": "19:00",
                        "breaks": "na het eten",
                        "room": "",
                    }
                ]
            ),
        }
    )
    data["groups"] = [home.group.pk]
    response = login(client, manager).post(url(InterviewRound, "add"), data)
    assert response.status_code == 200
    assert "na het eten&#x27; is geen pauze" in response.text
    assert not InterviewRound.objects.exists() and not InterviewSlot.objects.exists()


def test_a_teacher_blocks_and_adds_her_own_times_only(client, school):
    home, _manager = school
    interview_round = open_round(home)
    other = family(teacher_email="meester@example.org")
    theirs = open_round(other).slots.first()
    slot = interview_round.slots.first()
    teacher = login(client, home.teacher)

    response = teacher.post(
        url(InterviewSlot, "edit", slot.pk),
        {
            "starts_at": "2027-03-16 18:00",
            "ends_at": "2027-03-16 18:10",
            "location": "lokaal 3",
            "blocked": "on",
        },
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.blocked
    response = teacher.post(
        url(InterviewSlot, "add"),
        {
            "round": interview_round.pk,
            "teacher": home.teacher.pk,
            "starts_at": "2027-03-16 19:30",
            "ends_at": "2027-03-16 19:40",
            "location": "",
        },
    )
    assert response.status_code == 302
    assert InterviewSlot.objects.get(starts_at=moment(INTERVIEW_DAY, 19, 30)).added_by_hand
    assert teacher.get(url(InterviewSlot, "edit", theirs.pk)).status_code == 404
    # Regenerating keeps the single added time.
    rules.generate_slots(interview_round)
    assert InterviewSlot.objects.filter(starts_at=moment(INTERVIEW_DAY, 19, 30)).exists()


def test_staff_book_move_and_cancel_for_a_parent(client, school):
    home, manager = school
    interview_round = open_round(home)
    first, second = interview_round.slots.order_by("starts_at")[:2]
    staff = login(client, manager)

    response = staff.post(
        url(InterviewBooking, "add"),
        {"pupil": home.child.pk, "slot": first.pk, "guardian": home.parent.pk, "subject": "Lezen"},
    )
    assert response.status_code == 302
    booking = InterviewBooking.objects.get()
    assert (booking.round, booking.booked_by_user) == (interview_round, manager.user)
    response = staff.post(
        url(InterviewBooking, "edit", booking.pk),
        {"slot": second.pk, "guardian": home.parent.pk, "subject": "Lezen"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == second
    # A second interview for the same child in the round is refused with a message.
    response = staff.post(
        url(InterviewBooking, "add"), {"pupil": home.child.pk, "slot": first.pk, "subject": ""}
    )
    assert "heeft in deze ronde al een gesprek" in response.text
    assert staff.post(url(InterviewBooking, "delete", booking.pk)).status_code == 302
    assert not InterviewBooking.objects.exists()


def test_the_schedule_shows_time_child_parents_and_subject_printable_and_as_csv(client, school):
    home, _manager = school
    interview_round = open_round(home, start=time(18), end=time(18, 30))
    rules.book(
        home.child, interview_round.slots.order_by("starts_at")[1], subject="Rekenen", by_staff=True
    )
    teacher = login(client, home.teacher)

    page = teacher.get(reverse("interviews_schedule")).text
    assert "Daan Jansen" in page and "Marieke" in page and "Rekenen" in page
    assert "1 van 3 tijden gekozen." in page and "data-print" in page
    response = teacher.get(reverse("interviews_schedule") + "?export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Datum", "Tijd"]
    assert rows[2][1] == "18:10–18:20" and rows[2][4] == "Daan Jansen" and rows[2][7] == "Rekenen"
    assert rows[1][4] == ""  # free


def test_another_schools_staff_reach_nothing(client, school):
    home, _manager = school
    interview_round = open_round(home)
    booking = rules.book(home.child, interview_round.slots.first(), by_staff=True)
    far = family(teacher_email="ver@example.org")
    stranger = login(client, StaffMemberFactory(school=far.group.school, role=StaffRole.MANAGEMENT))
    for address in (
        url(InterviewRound, "edit", interview_round.pk),
        url(InterviewBooking, "edit", booking.pk),
        url(InterviewSlot, "edit", booking.slot_id),
    ):
        assert stranger.get(address).status_code == 404
    assert "Daan" not in stranger.get(reverse("interviews_schedule")).text
