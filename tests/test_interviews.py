"""Oudergesprekken for parents with a frozen clock: slots from the teachers' days, choosing,
changing and cancelling a time until booking closes, the family's other interviews beside
the free times, the calendar feed and .ics, bad input, other families and the switch."""

from datetime import time, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from schoolportal.agenda.feeds import feed_body
from schoolportal.interviews import rules
from schoolportal.interviews.models import InterviewBooking, InterviewDay, InterviewSlot
from tests.absence_helpers import at, family
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, parent_of
from tests.interview_helpers import INTERVIEW_DAY, MONDAY, moment, open_round

pytestmark = pytest.mark.django_db

TUESDAY = MONDAY + timedelta(days=1)
SATURDAY = MONDAY + timedelta(days=5)


@pytest.fixture
def home():
    return family()


@pytest.fixture
def interview_round(home):
    return open_round(home)


def login(client, guardian):
    client.force_login(guardian.user)
    return client


def book_url(interview_round, pupil):
    return reverse("interviews:book", args=[interview_round.pk, pupil.pk])


def slot_at(interview_round, hour, minute):
    return InterviewSlot.objects.get(
        round=interview_round, starts_at=moment(INTERVIEW_DAY, hour, minute)
    )


def booked_times(pupil):
    return [
        (b.slot.starts_at, b.subject)
        for b in InterviewBooking.objects.filter(pupil=pupil).select_related("slot")
    ]


# --- Slots -------------------------------------------------------------------------------


def test_slots_follow_the_day_skip_its_breaks_and_keep_booked_times(home):
    interview_round = open_round(home, start=time(18, 0), end=time(19, 5), breaks="18:20-18:35")
    starts = [
        s.astimezone(moment(MONDAY, 0).tzinfo).strftime("%H:%M")
        for s in interview_round.slots.values_list("starts_at", flat=True)
    ]
    assert starts == ["18:00", "18:10", "18:35", "18:45", "18:55"]
    assert set(interview_round.slots.values_list("location", flat=True)) == {"lokaal 3"}

    rules.book(home.child, slot_at(interview_round, 18, 55), by_staff=True)
    InterviewDay.objects.filter(round=interview_round).update(end_time=time(18, 45))
    added, removed, kept = rules.generate_slots(interview_round)

    assert (added, removed, kept) == (0, 1, 1)  # 18:45 went, the booked 18:55 stays
    assert interview_round.slots.count() == 4


def test_a_day_with_a_wrong_break_is_refused_in_dutch():
    day = InterviewDay(start_time=time(18), end_time=time(17), breaks="zeven uur")
    with pytest.raises(Exception) as refused:
        day.clean()
    assert "'Tot' ligt niet na 'van'." in str(refused.value)
    day.end_time = time(20)
    with pytest.raises(Exception) as refused:
        day.clean()
    assert "'zeven uur' is geen pauze" in str(refused.value)


def test_the_database_holds_one_booking_per_slot_and_one_per_child_per_round(home, interview_round):
    sister = PupilFactory(group=home.group, school=home.group.school)
    first, second = interview_round.slots.all()[:2]
    InterviewBooking.objects.create(slot=first, round=interview_round, pupil=home.child)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewBooking.objects.create(slot=first, round=interview_round, pupil=sister)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewBooking.objects.create(slot=second, round=interview_round, pupil=home.child)
    assert InterviewBooking.objects.count() == 1


# --- Booking -----------------------------------------------------------------------------


def test_a_parent_chooses_a_time_with_a_subject_and_sees_it_everywhere(
    client, home, interview_round
):
    slot = slot_at(interview_round, 18, 20)
    with at(TUESDAY):
        parent = login(client, home.parent)
        page = parent.get(book_url(interview_round, home.child))
        assert page.status_code == 200
        assert f'value="{slot.pk}"' in page.text
        response = parent.post(
            book_url(interview_round, home.child), {"slot": slot.pk, "subject": "Lezen"}
        )
        assert response.status_code == 302
        overview = parent.get(response.url).text

    assert booked_times(home.child) == [(slot.starts_at, "Lezen")]
    booking = InterviewBooking.objects.get()
    assert booking.guardian == home.parent and booking.booked_by_user == home.parent.user
    assert "18:20" in overview and "Lezen" in overview and "Afzeggen" in overview
    # The teacher's feed and the parent's feed both carry it; the download too.
    assert b"Oudergesprek Daan Jansen" in feed_body(home.teacher.user)
    assert b"Oudergesprek Daan met" in feed_body(home.parent.user)
    with at(TUESDAY):
        ics = parent.get(reverse("interviews:download", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"lokaal 3" in ics.content


def test_changing_moves_the_booking_and_frees_the_old_time(client, home, interview_round):
    old, new = slot_at(interview_round, 18, 0), slot_at(interview_round, 18, 30)
    rules.book(home.child, old, guardian=home.parent, by_staff=True)
    with at(TUESDAY):
        parent = login(client, home.parent)
        page = parent.get(book_url(interview_round, home.child)).text
        assert f'value="{old.pk}" id="slot-{old.pk}" checked' in page
        parent.post(book_url(interview_round, home.child), {"slot": new.pk, "subject": ""})
    assert booked_times(home.child) == [(new.starts_at, "")]
    assert InterviewSlot.objects.free().filter(pk=old.pk).exists()


def test_cancelling_until_booking_closes(client, home, interview_round):
    booking = rules.book(home.child, slot_at(interview_round, 18, 0), by_staff=True)
    url = reverse("interviews:cancel", args=[booking.pk])
    with at(SATURDAY):  # closed on Friday 17:00
        parent = login(client, home.parent)
        assert "Afzeggen kon tot" in parent.get(url).text
        assert parent.post(url).status_code == 400
    assert InterviewBooking.objects.count() == 1
    with at(TUESDAY):
        parent = login(client, home.parent)
        assert parent.post(url).status_code == 302
    assert InterviewBooking.objects.count() == 0


def test_the_family_sees_their_other_interviews_and_a_warning_beside_clashing_times(
    client, home, interview_round
):
    # Daan's sister is in groep 7 with meester Visser, in lokaal 7, at 18:10.
    group7 = GroupFactory(school_year=home.group.school_year, name="Groep 7")
    visser = StaffMemberFactory(school=home.group.school, display_name="meester Visser")
    group7.teachers.add(visser)
    emma = PupilFactory(first_name="Emma", group=group7, school=group7.school)
    parent_of(emma).delete()
    home.parent.pupils.add(emma)
    interview_round.groups.add(group7)
    interview_round.save()
    InterviewDay.objects.create(
        round=interview_round,
        teacher=visser,
        date=INTERVIEW_DAY,
        start_time=time(18),
        end_time=time(19),
        room="lokaal 7",
    )
    rules.generate_slots(interview_round)
    visser_slot = InterviewSlot.objects.get(teacher=visser, starts_at=moment(INTERVIEW_DAY, 18, 10))
    rules.book(emma, visser_slot, by_staff=True)

    with at(TUESDAY):
        page = login(client, home.parent).get(book_url(interview_round, home.child)).text

    assert "Uw andere gesprekken" in page and "meester Visser" in page
    assert page.count("tegelijk met het gesprek over Emma") == 1  # 18:10 with juf Bakker
    assert page.count("direct voor of na het gesprek over Emma") == 2  # 18:00 and 18:20


# --- Bad input: a clear message, nothing changed ----------------------------------------


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (moment(MONDAY, 7, 59), "Inschrijven kan vanaf maandag 8 maart 2027 08:00."),
        (moment(SATURDAY, 9), "Inschrijven is gesloten sinds vrijdag 12 maart 2027 17:00."),
    ],
)
def test_booking_outside_the_booking_period_is_refused(
    client, home, interview_round, when, message
):
    slot = slot_at(interview_round, 18, 0)
    with at(when.date(), when.hour, when.minute):
        response = login(client, home.parent).post(
            book_url(interview_round, home.child), {"slot": slot.pk}
        )
    assert response.status_code == 400
    assert message in response.text
    assert InterviewBooking.objects.count() == 0


def test_a_slot_of_a_round_for_another_group_is_refused(client, home, interview_round):
    other = family(teacher_email="meester@example.org")
    theirs = open_round(other).slots.first()
    with at(TUESDAY):
        response = login(client, home.parent).post(
            book_url(interview_round, home.child), {"slot": theirs.pk}
        )
    assert response.status_code == 400
    assert "Deze tijd hoort niet bij een gesprek over Daan in deze ronde." in response.text
    assert InterviewBooking.objects.count() == 0


def test_a_taken_slot_is_refused_and_the_free_times_are_offered(client, home, interview_round):
    taken = slot_at(interview_round, 18, 0)
    other = PupilFactory(group=home.group, school=home.group.school)
    rules.book(other, taken, by_staff=True)
    with at(TUESDAY):
        response = login(client, home.parent).post(
            book_url(interview_round, home.child), {"slot": taken.pk}
        )
    assert response.status_code == 400
    assert "Deze tijd is net door een andere ouder gekozen." in response.text
    assert f'value="{taken.pk}"' not in response.text
    assert f'value="{slot_at(interview_round, 18, 10).pk}"' in response.text
    assert InterviewBooking.objects.get().pupil == other


def test_a_subject_over_the_limit_is_refused(client, home, interview_round):
    with at(TUESDAY):
        response = login(client, home.parent).post(
            book_url(interview_round, home.child),
            {"slot": slot_at(interview_round, 18, 0).pk, "subject": "x" * 301},
        )
    assert response.status_code == 400
    assert "Het onderwerp mag hooguit 300 tekens zijn (nu 301)." in response.text
    assert InterviewBooking.objects.count() == 0


def test_no_time_chosen_is_refused(client, home, interview_round):
    with at(TUESDAY):
        response = login(client, home.parent).post(book_url(interview_round, home.child), {})
    assert response.status_code == 400
    assert "Kies een tijd." in response.text


def test_another_familys_child_round_and_booking_are_404_and_unchanged(
    client, home, interview_round
):
    stranger = PupilFactory(group=home.group, school=home.group.school)
    parent_of(stranger)
    theirs = rules.book(stranger, slot_at(interview_round, 18, 0), by_staff=True)
    other = family(teacher_email="meester@example.org")
    other_round = open_round(other)
    with at(TUESDAY):
        parent = login(client, home.parent)
        for url in (
            book_url(interview_round, stranger),
            book_url(other_round, home.child),
            reverse("interviews:cancel", args=[theirs.pk]),
            reverse("interviews:download", args=[theirs.pk]),
        ):
            assert parent.get(url).status_code == 404
            assert (
                parent.post(url, {"slot": slot_at(interview_round, 18, 10).pk}).status_code == 404
            )
    assert list(InterviewBooking.objects.all()) == [theirs]


def test_families_with_several_children_book_earlier_where_the_school_allows(client, home):
    interview_round = open_round(home, early_booking_days=2)
    sister = PupilFactory(first_name="Emma", group=home.group, school=home.group.school)
    only_child = PupilFactory(group=home.group, school=home.group.school)
    lonely = parent_of(only_child)
    slot = slot_at(interview_round, 18, 0)
    with at(MONDAY - timedelta(days=1)):  # Sunday, a day before the others
        refused = login(client, lonely).post(
            book_url(interview_round, only_child), {"slot": slot.pk}
        )
        assert refused.status_code == 400
        home.parent.pupils.add(sister)
        accepted = login(client, home.parent).post(
            book_url(interview_round, home.child), {"slot": slot.pk}
        )
    assert accepted.status_code == 302
    assert InterviewBooking.objects.get().pupil == home.child


def test_a_confirmation_is_sent_only_where_the_round_asks_for_it(
    client, home, mailoutbox, django_capture_on_commit_callbacks
):
    interview_round = open_round(home)
    slot = slot_at(interview_round, 18, 0)
    with at(TUESDAY), django_capture_on_commit_callbacks(execute=True):
        login(client, home.parent).post(book_url(interview_round, home.child), {"slot": slot.pk})
    assert mailoutbox == []
    InterviewBooking.objects.all().delete()
    interview_round.send_confirmation = True
    interview_round.save()
    with at(TUESDAY), django_capture_on_commit_callbacks(execute=True):
        client.post(book_url(interview_round, home.child), {"slot": slot.pk, "subject": "Rekenen"})
    assert [m.to for m in mailoutbox] == [[home.parent.user.email]]
    assert mailoutbox[0].subject == "Oudergesprek Daan: dinsdag 16 maart om 18:00"
    assert "Rekenen" in mailoutbox[0].body and "lokaal 3" in mailoutbox[0].body


class TestModuleSwitch:
    def test_off_hides_the_menu_item_and_urls_answer_404(self, client, home, interview_round):
        booking = rules.book(home.child, slot_at(interview_round, 18, 0), by_staff=True)
        school = home.group.school
        school.interviews_enabled = False
        school.save()
        parent = login(client, home.parent)
        for url in (
            reverse("interviews:index"),
            book_url(interview_round, home.child),
            reverse("interviews:cancel", args=[booking.pk]),
            reverse("interviews:download", args=[booking.pk]),
        ):
            assert parent.get(url).status_code == 404
            assert parent.post(url, {}).status_code == 404
        assert "/portaal/oudergesprekken/" not in parent.get(reverse("portal:dashboard")).text

    def test_on_shows_the_menu_item(self, client, home):
        page = login(client, home.parent).get(reverse("portal:dashboard")).text
        assert f'href="{reverse("interviews:index")}"' in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_parent_pages_cost_the_same_queries_for_any_number_of_slots(client, home):
    interview_round = open_round(home, start=time(18), end=time(19))
    rules.book(home.child, interview_round.slots.first(), by_staff=True)
    urls = [reverse("interviews:index"), book_url(interview_round, home.child)]
    with at(TUESDAY):
        parent = login(client, home.parent)
        for url in urls:
            _queries(parent, url)  # the menu's unread count is read on the first view
        few = [_queries(parent, url) for url in urls]
        InterviewDay.objects.filter(round=interview_round).update(end_time=time(23, 50))
        rules.generate_slots(interview_round)
        others = [PupilFactory(group=home.group, school=home.group.school) for _ in range(10)]
        for n, pupil in enumerate(others):
            rules.book(pupil, interview_round.slots.order_by("starts_at")[n + 5], by_staff=True)
        assert interview_round.slots.count() > 30
        # New pupils make every user's rights be read again once (access.scope).
        parent = login(client, home.parent)
        for url in urls:
            _queries(parent, url)
        assert [_queries(parent, url) for url in urls] == few


def test_the_invitations_link_leads_straight_to_choosing_for_the_only_child(
    client, home, interview_round
):
    with at(TUESDAY):
        response = login(client, home.parent).get(
            reverse("interviews:round", args=[interview_round.pk])
        )
    assert response.url == book_url(interview_round, home.child)
