"""The agenda: what parents see, the personal calendar feed, and how staff plan items."""

import hashlib
import logging
import logging.config
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
import vobject
from dateutil import rrule
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from icalendar import Calendar

from schoolportal import access
from schoolportal.agenda.models import AgendaException, AgendaItem, CalendarFeed, Repeat
from schoolportal.logging import MaskSecretsFilter, mask
from schoolportal.people.models import Group, Guardian, School, StaffRole
from schoolportal.settings import base as base_settings
from tests.factories import (
    GroupFactory,
    GuardianFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

AGENDA = "/portaal/agenda/"
MONTH = "/portaal/agenda/maand/"
SHARE = "/portaal/agenda/delen/"
FEED_LINK = re.compile(r"webcal://testserver/agenda/([A-Za-z0-9_-]+)\.ics")
AMSTERDAM = timezone.get_default_timezone()


def agenda_item(school, title, start, end=None, groups=(), **fields):
    """An item; timed when a start time is given, otherwise all-day."""
    fields.setdefault("all_day", "start_time" not in fields)
    item = AgendaItem.objects.create(
        school=school,
        title=title,
        start_date=start,
        end_date=end or start,
        whole_school=not groups,
        **fields,
    )
    if groups:
        item.groups.set(groups)
        item.save()  # a ParentalManyToManyField is written when its item is saved
    return item


def this_monday():
    today = timezone.localdate()
    return today - timedelta(days=today.weekday())


@pytest.fixture
def world():
    """A parent with a child in one group; items for that group, another group, another school."""
    w = SimpleNamespace()
    w.school = SchoolFactory(name="Basisschool Het Anker")
    year = SchoolYearFactory(school=w.school)
    w.group = GroupFactory(school_year=year, name="Groep 4a")
    w.other_group = GroupFactory(school_year=year, name="Groep 6b")
    w.child = PupilFactory(group=w.group, first_name="Lotte")
    w.parent = parent_of(w.child, first_name="Marieke")
    w.other_school = SchoolFactory(name="Basisschool De Linde")
    w.other_school_group = GroupFactory(
        school_year=SchoolYearFactory(school=w.other_school), name="Groep 4x"
    )
    parent_of(PupilFactory(group=w.other_school_group))

    monday = this_monday()
    w.next_monday = monday + timedelta(weeks=1)
    w.parents_evening = agenda_item(
        w.school,
        "Ouderavond",
        monday + timedelta(days=6),
        start_time=time(19, 0),
        end_time=time(20, 30),
    )
    w.sports_day = agenda_item(
        w.school,
        "Sportdag",
        w.next_monday + timedelta(days=1),
        start_time=time(8, 30),
        end_time=time(14, 0),
        location="Sportpark De Hoef",
    )
    w.excursion = agenda_item(
        w.school, "Excursie bakkerij", w.next_monday + timedelta(days=2), groups=[w.group]
    )
    w.hidden = agenda_item(
        w.school, "Toneelstuk oefenen", w.next_monday + timedelta(days=2), groups=[w.other_group]
    )
    w.foreign = agenda_item(w.other_school, "Lindefeest", w.next_monday + timedelta(days=1))
    w.foreign_group = agenda_item(
        w.other_school,
        "Museumbezoek Linde",
        w.next_monday + timedelta(days=3),
        groups=[w.other_school_group],
    )
    return w


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.parent.user)
    return client


def titles_per_week(response):
    return [
        (monday, [occurrence.item.title for occurrence in occurrences])
        for monday, occurrences in response.context["weeks"]
    ]


def titles_per_day(response):
    return {
        cell["date"]: [occurrence.item.title for occurrence in cell["occurrences"]]
        for week in response.context["weeks"]
        for cell in week
    }


# --- The parent's agenda ----------------------------------------------------------


def test_agenda_lists_own_group_and_whole_school_items_grouped_by_week(parent_client, world):
    response = parent_client.get(AGENDA)

    assert response.status_code == 200
    assert titles_per_week(response) == [
        (this_monday(), ["Ouderavond"]),
        (world.next_monday, ["Sportdag", "Excursie bakkerij"]),
    ]
    content = response.content.decode()
    assert f'id="week-{world.next_monday:%Y%m%d}"' in content
    assert "Sportdag" in content
    assert "Excursie bakkerij" in content
    assert "Sportpark De Hoef" in content


def test_agenda_does_not_list_another_groups_or_another_schools_items(parent_client):
    content = parent_client.get(AGENDA).content.decode()

    assert "Toneelstuk oefenen" not in content
    assert "Lindefeest" not in content
    assert "Museumbezoek Linde" not in content


@pytest.mark.parametrize("name", ["hidden", "foreign", "foreign_group"])
def test_invisible_items_detail_and_download_answer_404(parent_client, world, name):
    item = getattr(world, name)

    assert parent_client.get(f"{AGENDA}{item.pk}/").status_code == 404
    assert parent_client.get(f"{AGENDA}{item.pk}/agenda.ics").status_code == 404


def test_own_items_detail_and_download_are_available(parent_client, world):
    detail = parent_client.get(f"{AGENDA}{world.excursion.pk}/")
    download = parent_client.get(f"{AGENDA}{world.excursion.pk}/agenda.ics")

    assert detail.status_code == 200
    assert "Excursie bakkerij" in detail.content.decode()
    assert "Groep 4a" in detail.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(download.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Excursie bakkerij"
    assert str(event["UID"]) == f"agenda-{world.excursion.pk}@testserver"


def test_agenda_requires_login(client, world):
    response = client.get(AGENDA)

    assert response.status_code == 302
    assert "Sportdag" not in response.content.decode()


def test_past_items_are_reachable_with_van(parent_client, world):
    past = this_monday() - timedelta(weeks=10)
    agenda_item(world.school, "Schoolfotograaf", past + timedelta(days=1))

    default = parent_client.get(AGENDA).content.decode()
    earlier = parent_client.get(AGENDA, {"van": past.isoformat()})

    assert "Schoolfotograaf" not in default
    assert titles_per_week(earlier)[0] == (past, ["Schoolfotograaf"])
    assert "Schoolfotograaf" in earlier.content.decode()


def test_month_view_shows_items_on_their_days_including_every_day_of_a_multi_day_item(
    parent_client, world
):
    agenda_item(world.school, "Schoolreis", date(2031, 3, 11), date(2031, 3, 13), [world.group])
    agenda_item(
        world.school, "Kijkavond", date(2031, 3, 20), start_time=time(18), end_time=time(19)
    )
    agenda_item(world.school, "Projectweek", date(2031, 3, 31), date(2031, 4, 2))
    agenda_item(world.school, "Verborgen reis", date(2031, 3, 11), groups=[world.other_group])

    response = parent_client.get(MONTH, {"maand": "2031-03"})

    assert response.status_code == 200
    days = titles_per_day(response)
    assert [day for day, titles in days.items() if "Schoolreis" in titles] == [
        date(2031, 3, 11),
        date(2031, 3, 12),
        date(2031, 3, 13),
    ]
    assert [day for day, titles in days.items() if "Kijkavond" in titles] == [date(2031, 3, 20)]
    assert [day for day, titles in days.items() if "Projectweek" in titles] == [
        date(2031, 3, 31),
        date(2031, 4, 1),
        date(2031, 4, 2),
    ]
    assert min(days) == date(2031, 2, 24)  # the grid starts on a Monday
    content = response.content.decode()
    assert content.count("Schoolreis") == 3
    assert "18:00 Kijkavond" in content
    assert "Verborgen reis" not in content


def test_weekly_item_appears_every_week_except_on_exception_dates(parent_client, world):
    gym = agenda_item(
        world.school,
        "Gym Groep 4a",
        date(2031, 3, 3),
        groups=[world.group],
        start_time=time(10),
        end_time=time(10, 45),
        repeat=Repeat.WEEKLY,
        repeat_until=date(2031, 3, 31),
    )
    AgendaException.objects.create(item=gym, date=date(2031, 3, 17))

    month = titles_per_day(parent_client.get(MONTH, {"maand": "2031-03"}))
    weeks = titles_per_week(parent_client.get(AGENDA, {"van": "2031-03-03"}))

    assert [day for day, titles in month.items() if "Gym Groep 4a" in titles] == [
        date(2031, 3, 3),
        date(2031, 3, 10),
        date(2031, 3, 24),
        date(2031, 3, 31),
    ]
    assert [monday for monday, titles in weeks if "Gym Groep 4a" in titles] == [
        date(2031, 3, 3),
        date(2031, 3, 10),
        date(2031, 3, 24),
        date(2031, 3, 31),
    ]


def test_dashboard_shows_the_next_agenda_items(parent_client):
    content = parent_client.get(reverse("portal:dashboard")).content.decode()
    body = content.split("<body", 1)[1]

    assert "Ouderavond" in body
    assert "Sportdag" in body
    assert "Excursie bakkerij" in body
    assert "Toneelstuk oefenen" not in content
    assert "Lindefeest" not in content


def test_dashboard_title_holds_only_the_page_name(parent_client):
    content = parent_client.get(reverse("portal:dashboard")).content.decode()
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)

    assert "Sportdag" not in title
    assert title.strip() == "Dashboard · Schoolportal"


# --- The personal feed: links -----------------------------------------------------


def new_feed_token(client):
    response = client.post(SHARE, secure=True)
    assert response.status_code == 200
    return FEED_LINK.search(response.content.decode()).group(1)


def feed_url(token):
    return f"/agenda/{token}.ics"


def test_share_shows_https_and_webcal_links_once(parent_client):
    response = parent_client.post(SHARE, secure=True)

    content = response.content.decode()
    token = FEED_LINK.search(content).group(1)
    assert f'value="https://testserver/agenda/{token}.ics"' in content
    assert f'value="webcal://testserver/agenda/{token}.ics"' in content
    assert "no-store" in response["Cache-Control"]
    later = parent_client.get(SHARE, secure=True).content.decode()
    assert token not in later
    assert "webcal://" not in later
    assert "U heeft al een link gemaakt" in later


def test_feed_link_works_without_login(parent_client):
    token = new_feed_token(parent_client)

    response = Client().get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_new_link_revokes_the_previous_one_at_once(parent_client):
    first = new_feed_token(parent_client)
    second = new_feed_token(parent_client)
    anonymous = Client()

    assert first != second
    assert anonymous.get(feed_url(first)).status_code == 404
    assert anonymous.get(feed_url(second)).status_code == 200
    assert CalendarFeed.objects.count() == 1


@pytest.mark.parametrize(
    "token", ["x" * 43, "kort", "a" * 101, "%2E%2E", "Q2FsZW5kYXJGZWVkVG9rZW4tbm90LWlzc3VlZA"]
)
def test_unknown_token_answers_404(client, parent_client, token):
    new_feed_token(parent_client)

    assert client.get(feed_url(token)).status_code == 404


def test_deactivated_parents_link_answers_404(parent_client, world):
    token = new_feed_token(parent_client)
    world.parent.user.is_active = False
    world.parent.user.save()

    assert Client().get(feed_url(token)).status_code == 404


def test_token_has_at_least_128_bits_and_only_its_hash_is_stored(parent_client, world):
    token = new_feed_token(parent_client)

    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 bits
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    feed = CalendarFeed.objects.get(user=world.parent.user)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                lookup = {f"{field.attname}__contains": token}
                assert not model.objects.filter(**lookup).exists(), (model, field.name)


# --- The personal feed: contents --------------------------------------------------


def fetch_feed(parent_client):
    token = new_feed_token(parent_client)
    response = Client().get(feed_url(token))
    assert response.status_code == 200
    return response.content


def unfolded(body):
    return body.decode().replace("\r\n ", "")


def as_date(value):
    return value.astimezone(AMSTERDAM).date() if isinstance(value, datetime) else value


def icalendar_events(body):
    return {
        (str(event["UID"]), str(event["SUMMARY"]), as_date(event["DTSTART"].dt))
        for event in Calendar.from_ical(body).walk("VEVENT")
    }


def vobject_events(body):
    calendar = vobject.readOne(body.decode())
    return {
        (event.uid.value, event.summary.value, as_date(event.dtstart.value))
        for event in calendar.vevent_list
    }


def test_feed_holds_only_own_groups_and_whole_school_items(parent_client, world):
    body = fetch_feed(parent_client)

    summaries = {summary for _uid, summary, _start in icalendar_events(body)}
    assert summaries == {"Ouderavond", "Sportdag", "Excursie bakkerij"}


def test_feed_parses_the_same_with_icalendar_and_vobject(parent_client, world):
    gym = agenda_item(
        world.school,
        "Gym Groep 4a",
        date(2031, 3, 3),
        groups=[world.group],
        start_time=time(10),
        end_time=time(10, 45),
        repeat=Repeat.WEEKLY,
        repeat_until=date(2031, 6, 30),
    )
    AgendaException.objects.create(item=gym, date=date(2031, 3, 17))
    body = fetch_feed(parent_client)

    events = icalendar_events(body)
    assert events == vobject_events(body)
    assert (
        f"agenda-{world.sports_day.pk}@testserver",
        "Sportdag",
        world.sports_day.start_date,
    ) in (events)
    assert len(events) == 4
    [event] = [e for e in Calendar.from_ical(body).walk("VEVENT") if e["SUMMARY"] == gym.title]
    rule = rrule.rrulestr(event["RRULE"].to_ical().decode(), dtstart=event["DTSTART"].dt)
    skipped = {moment.dt for moment in event["EXDATE"].dts}
    dates = [moment.date() for moment in rule if moment not in skipped]
    assert dates == gym.occurrence_dates()
    assert date(2031, 3, 17) not in dates
    assert dates[-1] == date(2031, 6, 30)


def test_feed_follows_rfc_5545(parent_client, world):
    timed = agenda_item(
        world.school,
        "Gym Groep 4a",
        date(2031, 3, 3),
        groups=[world.group],
        start_time=time(10),
        end_time=time(10, 45),
        repeat=Repeat.WEEKLY,
        repeat_until=date(2031, 6, 30),
    )
    AgendaException.objects.create(item=timed, date=date(2031, 3, 17))
    all_day = agenda_item(
        world.school,
        "Kamp",
        date(2031, 6, 11),
        date(2031, 6, 13),
        repeat=Repeat.MONTHLY,
        repeat_until=date(2031, 8, 31),
    )
    AgendaException.objects.create(item=all_day, date=date(2031, 7, 11))

    body = fetch_feed(parent_client)
    text = unfolded(body)
    calendar = Calendar.from_ical(body)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}

    assert body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert "X-WR-CALNAME:Agenda Basisschool Het Anker" in text
    assert re.search(r"^REFRESH-INTERVAL(;VALUE=DURATION)?:PT4H\r$", text, re.M)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert all("DTSTAMP" in event for event in events.values())
    # Timed items: local time with a TZID; the series ends with a UTC UNTIL.
    assert (
        "DTSTART;TZID=Europe/Amsterdam:20310303T100000\r\nDTEND;TZID=Europe/Amsterdam:20310303T104500"
        in text
    )
    assert "RRULE:FREQ=WEEKLY;UNTIL=20310630T080000Z" in text
    assert "EXDATE;TZID=Europe/Amsterdam:20310317T100000" in text
    assert events["Gym Groep 4a"]["RRULE"]["UNTIL"][0] == datetime(2031, 6, 30, 8, tzinfo=UTC)
    sports = events["Sportdag"]
    assert sports["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert sports["DTSTART"].dt == datetime.combine(
        world.sports_day.start_date, time(8, 30), tzinfo=AMSTERDAM
    )
    # All-day items: dates, and DTEND is the day after the last day.
    assert events["Kamp"]["DTSTART"].dt == date(2031, 6, 11)
    assert "RRULE:FREQ=MONTHLY;UNTIL=20310831" in text
    assert "EXDATE;VALUE=DATE:20310711" in text
    assert events["Kamp"]["DTEND"].dt == date(2031, 6, 14)
    assert events["Excursie bakkerij"]["DTEND"].dt == world.excursion.start_date + timedelta(1)
    assert "RRULE" not in events["Sportdag"]


def test_all_day_start_and_end_are_marked_value_date(parent_client, world):
    agenda_item(world.school, "Kamp", date(2031, 6, 11), date(2031, 6, 13))
    text = unfolded(fetch_feed(parent_client))

    assert "DTSTART;VALUE=DATE:20310611\r\nDTEND;VALUE=DATE:20310614\r\n" in text


def test_refresh_interval_has_its_required_value_type(parent_client):
    text = unfolded(fetch_feed(parent_client))

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT4H" in text


def test_vobject_and_icalendar_agree_on_a_summer_start_time(parent_client, world):
    agenda_item(
        world.school, "Zomerfeest", date(2031, 6, 13), start_time=time(15), end_time=time(17)
    )
    body = fetch_feed(parent_client)

    [by_icalendar] = [
        e["DTSTART"].dt
        for e in Calendar.from_ical(body).walk("VEVENT")
        if e["SUMMARY"] == "Zomerfeest"
    ]
    [by_vobject] = [
        e.dtstart.value
        for e in vobject.readOne(body.decode()).vevent_list
        if e.summary.value == "Zomerfeest"
    ]
    assert by_icalendar == datetime(2031, 6, 13, 15, tzinfo=AMSTERDAM)
    assert by_vobject.astimezone(UTC) == by_icalendar.astimezone(UTC)


def test_uid_is_stable_across_fetches_and_title_edits(parent_client, world):
    token = new_feed_token(parent_client)
    anonymous = Client()
    before = icalendar_events(anonymous.get(feed_url(token)).content)
    again = icalendar_events(anonymous.get(feed_url(token)).content)
    world.sports_day.title = "Sport- en speldag"
    world.sports_day.save()
    after = icalendar_events(anonymous.get(feed_url(token)).content)

    uid = f"agenda-{world.sports_day.pk}@testserver"
    assert before == again
    assert (uid, "Sportdag", world.sports_day.start_date) in before
    assert (uid, "Sport- en speldag", world.sports_day.start_date) in after
    assert {event[0] for event in before} == {event[0] for event in after}
    assert len({event[0] for event in after}) == 3


# --- The personal feed: caching ---------------------------------------------------


@pytest.fixture
def feed(parent_client):
    token = new_feed_token(parent_client)
    anonymous = Client()
    return SimpleNamespace(url=feed_url(token), client=anonymous)


def test_feed_answer_has_etag_and_last_modified(feed):
    response = feed.client.get(feed.url)

    assert response.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")
    assert "private" in response["Cache-Control"]


def test_matching_etag_answers_304_with_at_most_two_queries(feed, django_assert_max_num_queries):
    etag = feed.client.get(feed.url)["ETag"]

    with django_assert_max_num_queries(2):
        response = feed.client.get(feed.url, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_answers_304_and_an_older_date_200(feed):
    last_modified = feed.client.get(feed.url)["Last-Modified"]
    older = http_date(timezone.now().timestamp() - 86400 * 30)

    fresh = feed.client.get(feed.url, headers={"if-modified-since": last_modified})
    stale = feed.client.get(feed.url, headers={"if-modified-since": older})

    assert fresh.status_code == 304
    assert stale.status_code == 200
    assert b"Sportdag" in stale.content


def edit_item(w):
    w.sports_day.title = "Sport- en speldag"
    w.sports_day.save()


def add_item(w):
    agenda_item(w.school, "Kerstviering", w.next_monday + timedelta(days=4))


def delete_item(w):
    w.excursion.delete()


def move_child(w):
    w.child.group = w.other_group
    w.child.save()


def link_other_schools_child(w):
    GuardianshipFactory(guardian=w.parent, pupil=PupilFactory(group=w.other_school_group))


@pytest.mark.parametrize(
    "change",
    [edit_item, add_item, delete_item, move_child, link_other_schools_child],
)
def test_feed_etag_changes_when_the_agenda_or_the_family_changes(feed, world, change):
    etag = feed.client.get(feed.url)["ETag"]
    assert feed.client.get(feed.url, headers={"if-none-match": etag}).status_code == 304

    change(world)
    response = feed.client.get(feed.url, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_feed_etag_changes_when_an_exception_date_is_added(feed, world):
    world.sports_day.repeat = Repeat.WEEKLY
    world.sports_day.repeat_until = world.next_monday + timedelta(weeks=4)
    world.sports_day.save()
    etag = feed.client.get(feed.url)["ETag"]

    AgendaException.objects.create(
        item=world.sports_day, date=world.sports_day.start_date + timedelta(weeks=1)
    )
    response = feed.client.get(feed.url, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert b"EXDATE" in response.content


def test_feed_etag_stays_when_another_school_changes_its_agenda(feed, world):
    etag = feed.client.get(feed.url)["ETag"]

    agenda_item(world.other_school, "Lindemarkt", world.next_monday)
    world.foreign.delete()

    assert feed.client.get(feed.url, headers={"if-none-match": etag}).status_code == 304


def test_feed_body_follows_a_child_moving_to_another_group(feed, world):
    move_child(world)

    body = feed.client.get(feed.url).content

    assert b"Toneelstuk oefenen" in body
    assert b"Excursie bakkerij" not in body


def test_if_modified_since_sees_a_child_moving_to_another_group(feed, world):
    School.objects.update(agenda_changed_at=timezone.now() - timedelta(days=1))
    last_modified = feed.client.get(feed.url)["Last-Modified"]

    move_child(world)
    response = feed.client.get(feed.url, headers={"if-modified-since": last_modified})

    assert response.status_code == 200


def test_feed_etag_changes_when_children_move_to_groups_with_the_same_id_sum(parent_client, world):
    year = world.group.school_year
    first, second, third, fourth = (GroupFactory(school_year=year) for _ in range(4))
    assert first.pk + fourth.pk == second.pk + third.pk
    sibling = PupilFactory(group=fourth)
    GuardianshipFactory(guardian=world.parent, pupil=sibling)
    world.child.group = first
    world.child.save()
    agenda_item(world.school, "Alleen voor groep twee", world.next_monday, groups=[second])
    token = new_feed_token(parent_client)
    anonymous = Client()
    etag = anonymous.get(feed_url(token))["ETag"]

    world.child.group = second
    world.child.save()
    sibling.group = third
    sibling.save()
    response = anonymous.get(feed_url(token), headers={"if-none-match": etag})

    assert response.status_code == 200
    assert b"Alleen voor groep twee" in response.content


# --- Tokens stay out of the logs --------------------------------------------------


def test_mask_keeps_only_the_start_of_secret_url_parts():
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"

    assert mask(f"GET /agenda/{token}.ics HTTP/1.1") == "GET /agenda/AbCd….ics HTTP/1.1"
    assert mask(f"Not Found: /agenda/{token}.ics") == "Not Found: /agenda/AbCd….ics"
    assert mask(f"/account/uitnodiging/{token}/") == "/account/uitnodiging/AbCd…/"
    assert mask(f"/account/wachtwoord-instellen/MQ/{token}/") == (
        "/account/wachtwoord-instellen/MQ/AbCd…/"
    )
    assert mask("GET /portaal/agenda/12/agenda.ics") == "GET /portaal/agenda/12/agenda.ics"
    assert mask("GET /portaal/agenda/maand/") == "GET /portaal/agenda/maand/"


def test_mask_filter_masks_message_and_arguments():
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde"
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "%s: %s",
        ("Not Found", f"/agenda/{token}.ics"),
        None,
    )

    assert MaskSecretsFilter().filter(record) is True
    assert token not in record.getMessage()
    assert "/agenda/AbCd…" in record.getMessage()


@contextmanager
def production_logging():
    """The LOGGING of the base settings, its console writing into a buffer; restored after."""
    names = ["", "django", "django.request", "django.server", "axes", "django_tasks"]
    saved = {}
    for name in names:
        logger = logging.getLogger(name)
        saved[name] = (logger.handlers[:], logger.level, logger.propagate, logger.filters[:])
    buffer = StringIO()
    try:
        logging.config.dictConfig(base_settings.LOGGING)
        for handler in logging.getLogger().handlers:
            handler.setStream(buffer)
        yield buffer
    finally:
        for name, (handlers, level, propagate, filters) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
            logger.filters[:] = filters


def test_production_logging_masks_an_unknown_feed_token(client):
    token = "ZmVlZC10b2tlbi1kYXQtbmlldC1iZXN0YWF0LTEyMzQ"

    with production_logging() as logged:
        assert client.get(feed_url(token)).status_code == 404

    assert "Not Found: /agenda/ZmVl…" in logged.getvalue()
    assert token not in logged.getvalue()


def test_unknown_feed_token_is_not_logged_in_full(client, caplog):
    token = "ZmVlZC10b2tlbi1kYXQtbmlldC1iZXN0YWF0LTEyMzQ"

    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(feed_url(token)).status_code == 404

    assert "Not Found" in caplog.text
    assert token not in caplog.text


# --- Planning in the admin --------------------------------------------------------


def valid_item(school, **fields):
    values = {
        "school": school,
        "title": "Schoolfotograaf",
        "start_date": date(2031, 3, 10),
        "end_date": date(2031, 3, 10),
        "start_time": time(9),
        "end_time": time(12),
    }
    return AgendaItem(**{**values, **fields})


def test_a_valid_item_passes_clean():
    valid_item(SchoolFactory()).full_clean()
    valid_item(SchoolFactory(), end_date=date(2031, 3, 11), end_time=time(8)).full_clean()
    valid_item(
        SchoolFactory(),
        repeat=Repeat.WEEKLY,
        start_date=date(2030, 8, 26),
        end_date=date(2030, 8, 26),
        repeat_until=date(2032, 8, 26),
    ).full_clean()


INVALID = [
    pytest.param(
        {"end_date": date(2031, 3, 9)},
        "end_date",
        "De einddatum ligt vóór de begindatum.",
        id="ends-on-an-earlier-day",
    ),
    pytest.param(
        {"all_day": True, "end_date": date(2031, 3, 9)},
        "end_date",
        "De einddatum ligt vóór de begindatum.",
        id="all-day-ends-on-an-earlier-day",
    ),
    pytest.param(
        {"end_time": time(8, 30)},
        "end_time",
        "Het agendapunt eindigt voordat het begint.",
        id="ends-earlier-that-day",
    ),
    pytest.param(
        {"end_time": time(9)},
        "end_time",
        "Het agendapunt eindigt voordat het begint.",
        id="ends-when-it-starts",
    ),
    pytest.param(
        {"repeat": Repeat.WEEKLY},
        "repeat_until",
        "Een herhaling moet een einddatum hebben, bijvoorbeeld de laatste schooldag.",
        id="repeats-without-end",
    ),
    pytest.param(
        {"repeat": Repeat.MONTHLY, "repeat_until": date(2033, 4, 10)},
        "repeat_until",
        "Een herhaling mag hoogstens twee jaar duren.",
        id="repeats-longer-than-two-years",
    ),
    pytest.param(
        {"repeat": Repeat.WEEKLY, "repeat_until": date(2031, 3, 1)},
        "repeat_until",
        "Herhalen tot ligt vóór de begindatum.",
        id="repeats-until-before-start",
    ),
    pytest.param(
        {"start_time": None},
        "start_time",
        "Vul een begin- en eindtijd in, of kies 'hele dag'.",
        id="timed-without-time",
    ),
]


@pytest.mark.parametrize(("fields", "field", "message"), INVALID)
def test_model_clean_refuses_bad_items(fields, field, message):
    item = valid_item(SchoolFactory(), **fields)

    with pytest.raises(ValidationError) as error:
        item.full_clean()

    assert error.value.message_dict[field] == [message]


ADD = reverse(AgendaItem.snippet_viewset.get_url_name("add"))


def edit_url(item):
    return reverse(AgendaItem.snippet_viewset.get_url_name("edit"), args=[item.pk])


def form_data(school, groups=(), all_day=False, whole_school=True, **fields):
    data = {
        "school": school.pk,
        "title": "Schoolfotograaf",
        "location": "Aula",
        "description": "",
        "start_date": "2031-03-10",
        "start_time": "09:00",
        "end_date": "2031-03-10",
        "end_time": "12:00",
        "groups": [group.pk for group in groups],
        "repeat": "",
        "repeat_until": "",
        "exceptions-TOTAL_FORMS": "0",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-MIN_NUM_FORMS": "0",
        "exceptions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    if all_day:
        data["all_day"] = "on"
    if whole_school:
        data["whole_school"] = "on"
    return data


@pytest.fixture
def staff(world):
    s = SimpleNamespace()
    s.management = StaffMemberFactory(school=world.school, role=StaffRole.MANAGEMENT)
    s.teacher = StaffMemberFactory(school=world.school, role=StaffRole.TEACHER)
    world.group.teachers.add(s.teacher)
    return s


def test_management_adds_an_item_with_an_exception_in_the_admin(client, world, staff):
    client.force_login(staff.management.user)
    data = form_data(
        world.school,
        repeat=Repeat.WEEKLY,
        repeat_until="2031-04-28",
        **{
            "exceptions-TOTAL_FORMS": "1",
            "exceptions-0-date": "2031-03-17",
            "exceptions-0-id": "",
            "exceptions-0-DELETE": "",
        },
    )

    response = client.post(ADD, data)

    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Schoolfotograaf")
    assert item.whole_school
    assert item.created_by == staff.management.user
    assert item.exception_dates() == {date(2031, 3, 17)}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end_date": "2031-03-09"}, "De einddatum ligt vóór de begindatum."),
        ({"end_time": "08:00"}, "Het agendapunt eindigt voordat het begint."),
        ({"end_time": "09:00"}, "Het agendapunt eindigt voordat het begint."),
        ({"repeat": "weekly"}, "Een herhaling moet een einddatum hebben"),
        (
            {"repeat": "weekly", "repeat_until": "2033-06-01"},
            "Een herhaling mag hoogstens twee jaar duren.",
        ),
    ],
)
def test_admin_refuses_bad_items_and_saves_nothing(client, world, staff, fields, message):
    client.force_login(staff.management.user)
    before = School.objects.values_list("agenda_changed_at", flat=True).get(pk=world.school.pk)
    count = AgendaItem.objects.count()

    response = client.post(ADD, form_data(world.school, **fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert AgendaItem.objects.count() == count
    assert not AgendaItem.objects.filter(title="Schoolfotograaf").exists()
    assert School.objects.values_list("agenda_changed_at", flat=True).get(pk=world.school.pk) == (
        before
    )


def test_teacher_adds_an_item_for_their_own_group(client, world, staff):
    client.force_login(staff.teacher.user)

    response = client.post(ADD, form_data(world.school, [world.group], whole_school=False))

    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Schoolfotograaf")
    assert not item.whole_school
    assert list(item.groups.all()) == [world.group]


def test_teacher_cannot_add_a_whole_school_item(client, world, staff):
    client.force_login(staff.teacher.user)

    response = client.post(ADD, form_data(world.school, whole_school=True))

    assert response.status_code == 200
    assert "Alleen de directie en administratie" in response.content.decode()
    assert not AgendaItem.objects.filter(title="Schoolfotograaf").exists()


def test_teacher_cannot_add_an_item_for_a_group_they_do_not_teach(client, world, staff):
    client.force_login(staff.teacher.user)

    response = client.post(ADD, form_data(world.school, [world.other_group], whole_school=False))

    assert response.status_code == 200
    assert not AgendaItem.objects.filter(title="Schoolfotograaf").exists()


@pytest.mark.parametrize(
    ("name", "teacher_status"), [("sports_day", 404), ("hidden", 404), ("excursion", 200)]
)
def test_teacher_edits_only_their_groups_items_and_management_all(
    client, world, staff, name, teacher_status
):
    url = edit_url(getattr(world, name))

    client.force_login(staff.teacher.user)
    teacher_response = client.get(url)
    client.force_login(staff.management.user)
    management_response = client.get(url)

    assert teacher_response.status_code == teacher_status
    assert management_response.status_code == 200


def test_teacher_cannot_turn_their_item_into_a_whole_school_item(client, world, staff):
    client.force_login(staff.teacher.user)

    response = client.post(
        edit_url(world.excursion),
        form_data(world.school, [world.group], whole_school=True, title="Excursie bakkerij"),
    )

    assert response.status_code == 200
    world.excursion.refresh_from_db()
    assert not world.excursion.whole_school


def test_management_of_another_school_cannot_open_the_items(client, world):
    other = StaffMemberFactory(school=world.other_school, role=StaffRole.MANAGEMENT)
    client.force_login(other.user)

    assert client.get(edit_url(world.sports_day)).status_code == 404


# --- The demo school --------------------------------------------------------------


@pytest.fixture
def demo(demo_school, db):
    return demo_school


def demo_user(email):
    return Guardian.objects.get(user__email=email).user


def test_demo_agenda_has_holidays_study_days_and_a_sports_day_for_the_whole_school(demo):
    items = AgendaItem.objects.filter(school=demo)
    whole_school = set(items.filter(whole_school=True).values_list("title", flat=True))

    assert {
        "Herfstvakantie",
        "Kerstvakantie",
        "Voorjaarsvakantie",
        "Meivakantie",
        "Zomervakantie",
        "Studiedag: alle kinderen vrij",
        "Sportdag",
    } <= whole_school
    assert items.filter(title="Studiedag: alle kinderen vrij", all_day=True).count() == 2
    christmas = items.get(title="Kerstvakantie")
    assert christmas.all_day
    assert christmas.end_date > christmas.start_date


def test_demo_excursion_and_camp_are_for_one_group_and_gym_weekly_per_group(demo):
    items = AgendaItem.objects.filter(school=demo)
    excursion = items.get(title="Excursie kinderboerderij")
    camp = items.get(title="Kamp groep 7")

    assert not excursion.whole_school
    assert [group.name for group in excursion.groups.all()] == ["Groep 3"]
    assert not camp.whole_school
    assert [group.name for group in camp.groups.all()] == ["Groep 7"]
    assert camp.end_date - camp.start_date == timedelta(days=2)
    for group in Group.objects.filter(school=demo):
        gym = items.get(title=f"Gym {group.name}")
        assert gym.repeat == Repeat.WEEKLY
        assert list(gym.groups.all()) == [group]
        assert gym.exceptions.exists()
        assert len(gym.occurrence_dates()) > 30


def test_demo_de_vries_does_not_see_camp_but_jansen_does(demo, client):
    devries = demo_user("ouder.devries@example.org")
    jansen = demo_user("ouder.jansen@example.org")
    camp = AgendaItem.objects.get(school=demo, title="Kamp groep 7")

    devries_titles = set(access.agenda_items_for(devries).values_list("title", flat=True))
    jansen_titles = set(access.agenda_items_for(jansen).values_list("title", flat=True))

    assert "Kamp groep 7" not in devries_titles
    assert {"Excursie kinderboerderij", "Sportdag", "Gym Groep 3"} <= devries_titles
    assert "Gym Groep 7" not in devries_titles
    assert {"Kamp groep 7", "Excursie kinderboerderij", "Gym Groep 7"} <= jansen_titles
    client.force_login(devries)
    assert client.get(f"{AGENDA}{camp.pk}/").status_code == 404
    client.force_login(jansen)
    assert client.get(f"{AGENDA}{camp.pk}/").status_code == 200


# --- Found in review: versions that must move ------------------------------------------------


def feed_etag(token):
    return Client().get(feed_url(token))["ETag"]


def test_a_parent_who_works_at_a_school_sees_its_agenda_changes_in_the_etag(client, world):
    StaffMemberFactory(school=world.other_school, user=world.parent.user)
    client.force_login(world.parent.user)
    token = new_feed_token(client)
    before = feed_etag(token)

    agenda_item(world.other_school, "Teamvergadering", world.next_monday)

    assert feed_etag(token) != before


def test_an_item_moved_to_another_school_changes_the_old_schools_feeds(parent_client, world):
    token = new_feed_token(parent_client)
    before = feed_etag(token)

    world.sports_day.school = world.other_school
    world.sports_day.save()

    assert feed_etag(token) != before


def test_a_feed_without_children_keeps_its_etag_and_gets_a_304(client):
    guardian = GuardianFactory()
    client.force_login(guardian.user)
    token = new_feed_token(client)
    etag = feed_etag(token)

    response = Client().get(feed_url(token), HTTP_IF_NONE_MATCH=etag)

    assert feed_etag(token) == etag
    assert response.status_code == 304


@pytest.mark.parametrize("query", ["?van=9999-12-31", "?van=0001-01-01", "?van=morgen"])
def test_far_or_unreadable_dates_show_the_agenda_of_today(parent_client, query):
    assert parent_client.get(AGENDA + query).status_code == 200
    assert parent_client.get(MONTH + "?maand=9999-12").status_code == 200
