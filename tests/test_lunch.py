"""Overblijven for parents with a frozen clock: registering chosen dates and fixed weekdays
over school days, cancelling until the school's cut-off, an absence cancelling the days it
covers, the module switch, other families' children and days, and fixed query counts."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences import lifecycle
from schoolportal.absences.models import Reason, ReportedBy
from schoolportal.lunch.models import CancelledBy, LunchDay
from tests.absence_helpers import at, family, holiday
from tests.factories import PupilFactory, parent_of

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 8)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = (MONDAY + timedelta(days=n) for n in range(1, 6))
NEXT_MONDAY = MONDAY + timedelta(days=7)


@pytest.fixture
def home():
    return family(lunch_enabled=True)


def visit(client, home, day=MONDAY, hour=8, minute=0):
    """The parent's visit at a frozen moment (``with visit(...) as client``)."""

    class Visit:
        def __enter__(self):
            self.clock = at(day, hour, minute)
            self.clock.__enter__()
            client.force_login(home.parent.user)
            return client

        def __exit__(self, *exc):
            self.clock.__exit__(*exc)

    return Visit()


def child_url(home):
    return reverse("lunch:child", args=[home.child.pk])


def lunch_dates(home, active=True):
    days = LunchDay.objects.filter(pupil=home.child)
    days = days.active() if active else days.cancelled()
    return sorted(days.values_list("date", flat=True))


def register_dates(client, home, *days):
    return client.post(
        child_url(home), {"form": "dates", "days": [day.isoformat() for day in days]}
    )


def register_weekdays(client, home, weekdays, first_day, until):
    return client.post(
        child_url(home),
        {
            "form": "weekdays",
            "weekdays": weekdays,
            "first_day": first_day.isoformat(),
            "until": until.isoformat(),
        },
    )


def test_chosen_dates_are_registered_and_shown(client, home):
    with visit(client, home) as parent:
        page = parent.get(child_url(home)).text
        assert f'value="{TUESDAY.isoformat()}"' in page  # offered: the coming school days
        assert f'value="{SATURDAY.isoformat()}"' not in page
        response = register_dates(parent, home, MONDAY, WEDNESDAY)
        assert response.status_code == 302
        assert lunch_dates(home) == [MONDAY, WEDNESDAY]
        overview = parent.get(reverse("lunch:index")).text
    assert "woensdag 10 maart 2027" in overview
    saved = LunchDay.objects.get(date=WEDNESDAY)
    assert (saved.school, saved.registered_by_user) == (home.child.school, home.parent.user)


def test_fixed_weekdays_until_a_date_skip_weekends_and_holidays(client, home):
    holiday(home.child.school, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=4))
    with visit(client, home) as parent:
        response = register_weekdays(parent, home, [0, 3], MONDAY, NEXT_MONDAY + timedelta(days=10))
    assert response.status_code == 302
    # Mondays and Thursdays; the week after is a holiday.
    assert lunch_dates(home) == [
        MONDAY,
        THURSDAY,
        NEXT_MONDAY + timedelta(days=7),
        NEXT_MONDAY + timedelta(days=10),
    ]


def test_registering_twice_keeps_one_day_and_brings_back_a_cancelled_one(client, home):
    with visit(client, home) as parent:
        register_dates(parent, home, TUESDAY)
        LunchDay.objects.update(cancelled_at=timezone.now(), cancelled_by=CancelledBy.PARENT)
        assert register_dates(parent, home, TUESDAY).status_code == 302
        register_weekdays(parent, home, [1], MONDAY, WEDNESDAY)
    assert lunch_dates(home) == [TUESDAY]
    assert LunchDay.objects.count() == 1


def test_a_day_is_cancelled_until_the_cut_off_of_that_day(client, home):
    day = LunchDay.objects.create(pupil=home.child, school=home.child.school, date=TUESDAY)
    url = reverse("lunch:cancel", args=[day.pk])

    with visit(client, home, TUESDAY, 9, 0) as parent:  # at 09:00 it is too late
        page = parent.get(url)
        refused = parent.post(url)
    assert page.status_code == 200 and "Na 09:00 op de dag zelf" in page.text
    assert refused.status_code == 400
    assert "Na 09:00 op de dag zelf kunt u dinsdag 9 maart niet meer afmelden" in refused.text
    assert lunch_dates(home) == [TUESDAY]

    with visit(client, home, TUESDAY, 8, 59) as parent:
        assert parent.post(url).status_code == 302
    day.refresh_from_db()
    assert (day.is_active, day.cancelled_by) == (False, CancelledBy.PARENT)


def test_the_schools_own_cut_off_counts(client, home):
    school = home.child.school
    school.lunch_cutoff = time(10, 30)
    school.save()
    day = LunchDay.objects.create(pupil=home.child, school=school, date=TUESDAY)

    with visit(client, home, TUESDAY, 10, 0) as parent:
        assert "Aanmelden en afmelden kan tot 10:30" in parent.get(child_url(home)).text
        assert parent.post(reverse("lunch:cancel", args=[day.pk])).status_code == 302


def test_today_after_the_cut_off_is_refused_and_nothing_is_saved(client, home):
    with visit(client, home, TUESDAY, 9, 5) as parent:
        assert f'value="{TUESDAY.isoformat()}"' not in parent.get(child_url(home)).text
        # The page was loaded before nine: today was offered then.
        response = register_dates(parent, home, TUESDAY, WEDNESDAY)
        weekly = register_weekdays(parent, home, [1, 2], TUESDAY, FRIDAY)
    assert response.status_code == 400
    assert "Na 09:00 op de dag zelf kunt u dinsdag 9 maart niet meer wijzigen" in response.text
    assert weekly.status_code == 400
    assert f'value="{FRIDAY.isoformat()}"' in weekly.text  # what was typed stays
    assert LunchDay.objects.count() == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"first_day": MONDAY - timedelta(days=1)}, "U kunt geen dag in het verleden aanmelden."),
        ({"until": MONDAY - timedelta(days=1)}, "&#x27;Tot en met&#x27; ligt vóór de eerste dag."),
        (
            {"until": MONDAY + timedelta(days=366)},
            "U kunt hooguit een schooljaar (365 dagen) vooruit aanmelden.",
        ),
        ({"weekdays": []}, "Kies minstens één dag van de week."),
        ({"until": "31-02-2027"}, "Voer een geldige datum in."),
    ],
)
def test_bad_weekday_input_is_refused_in_dutch_and_nothing_saved(client, home, fields, message):
    data = {"weekdays": [0, 2], "first_day": MONDAY, "until": FRIDAY, **fields}
    with visit(client, home) as parent:
        response = parent.post(
            child_url(home),
            {
                "form": "weekdays",
                "weekdays": data["weekdays"],
                "first_day": str(data["first_day"]),
                "until": str(data["until"]),
            },
        )
    assert response.status_code == 400
    assert message in response.text
    assert LunchDay.objects.count() == 0


def test_bad_dates_are_refused_in_dutch_and_nothing_saved(client, home):
    with visit(client, home) as parent:
        past = register_dates(parent, home, WEDNESDAY, MONDAY - timedelta(days=3))
        far = register_dates(parent, home, MONDAY + timedelta(days=400))
        garbage = parent.post(child_url(home), {"form": "dates", "days": ["morgen"]})
        weekend = register_dates(parent, home, SATURDAY)
        none = register_dates(parent, home)
    assert past.status_code == 400 and "geen dag in het verleden" in past.text
    assert far.status_code == 400 and "hooguit een schooljaar" in far.text
    assert garbage.status_code == 400 and "Selecteer een geldige keuze" in garbage.text
    assert weekend.status_code == 400 and "geen school (weekend of vakantie)" in weekend.text
    assert none.status_code == 400 and "Kies minstens één dag." in none.text
    assert LunchDay.objects.count() == 0


def test_an_absence_cancels_the_lunch_days_it_covers(client, home):
    for day in (MONDAY, TUESDAY, WEDNESDAY, THURSDAY, NEXT_MONDAY):
        LunchDay.objects.create(pupil=home.child, school=home.child.school, date=day)
    with at(TUESDAY, 11):  # after the cut-off: the child is away all the same
        report = lifecycle.report_absence(
            home.child,
            reason=Reason.ILLNESS,
            explanation="",
            first_day=MONDAY,
            expected_return=THURSDAY,
            user=home.parent.user,
            by=ReportedBy.PARENT,
        )
    # Monday is past and stays; Tuesday and Wednesday are off; back on Thursday.
    assert lunch_dates(home) == [MONDAY, THURSDAY, NEXT_MONDAY]
    assert set(LunchDay.objects.cancelled().values_list("cancelled_by", flat=True)) == {
        CancelledBy.ABSENCE
    }

    with at(WEDNESDAY, 8):
        lifecycle.change_return(report, FRIDAY)  # extended: Thursday too
    assert lunch_dates(home) == [MONDAY, NEXT_MONDAY]


def test_an_open_ended_illness_cancels_every_coming_day(client, home):
    for day in (TUESDAY, NEXT_MONDAY):
        LunchDay.objects.create(pupil=home.child, school=home.child.school, date=day)
    with at(MONDAY, 8), visit(client, home) as parent:
        parent.post(
            reverse("absences:report"),
            {"pupil": home.child.pk, "reason": Reason.ILLNESS, "first_day": MONDAY.isoformat()},
        )
    assert lunch_dates(home) == []
    assert lunch_dates(home, active=False) == [TUESDAY, NEXT_MONDAY]


def test_another_familys_child_and_days_are_404_and_unchanged(client, home):
    stranger = PupilFactory(group=home.group, first_name="Sem")
    parent_of(stranger)
    theirs = LunchDay.objects.create(pupil=stranger, school=stranger.school, date=TUESDAY)
    with visit(client, home) as parent:
        for url in (
            reverse("lunch:child", args=[stranger.pk]),
            reverse("lunch:cancel", args=[theirs.pk]),
        ):
            assert parent.get(url).status_code == 404
            assert parent.post(url, {"form": "dates", "days": [TUESDAY]}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert LunchDay.objects.count() == 1


class TestModuleSwitch:
    def test_off_hides_menu_dashboard_and_child_page_and_urls_answer_404(self, client, home):
        day = LunchDay.objects.create(pupil=home.child, school=home.child.school, date=TUESDAY)
        school = home.child.school
        school.lunch_enabled = False
        school.save()
        with visit(client, home) as parent:
            for url in (
                reverse("lunch:index"),
                child_url(home),
                reverse("lunch:cancel", args=[day.pk]),
            ):
                assert parent.get(url).status_code == 404
                assert parent.post(url, {}).status_code == 404
            for url in (reverse("portal:dashboard"), reverse("portal:child", args=[home.child.pk])):
                page = parent.get(url).text
                assert "Overblijven" not in page
                assert "/portaal/overblijven/" not in page

    def test_on_offers_menu_dashboard_and_child_page(self, client, home):
        with visit(client, home) as parent:
            dashboard = parent.get(reverse("portal:dashboard")).text
            child = parent.get(reverse("portal:child", args=[home.child.pk])).text
        assert dashboard.count(f'href="{reverse("lunch:index")}"') == 2  # menu and button
        assert f'href="{child_url(home)}"' in child


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_parent_pages_cost_the_same_queries_for_any_number_of_days(client, home):
    urls = [reverse("lunch:index"), child_url(home)]
    with visit(client, home) as parent:
        register_dates(parent, home, TUESDAY)
        for url in urls:
            _queries(parent, url)
        few = [_queries(parent, url) for url in urls]
        register_weekdays(parent, home, [0, 1, 2, 3, 4], WEDNESDAY, MONDAY + timedelta(days=300))
        assert LunchDay.objects.count() > 150
        assert [_queries(parent, url) for url in urls] == few
