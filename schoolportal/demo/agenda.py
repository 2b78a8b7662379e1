"""The demo school's agenda: the holidays, study days, a sports day, an outing, a camp and
every group's weekly gym lesson, which skips the holidays."""

from datetime import date, time, timedelta

from schoolportal.agenda.models import AgendaException, AgendaItem, Repeat


def on_weekday(day, weekday=0):
    """The first date on or after ``day`` that falls on ``weekday`` (Monday is 0)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def holidays(start_year):
    """Regio midden, roughly as the ministry sets them."""
    return [
        ("Herfstvakantie", date(start_year, 10, 17), date(start_year, 10, 25)),
        ("Kerstvakantie", date(start_year, 12, 19), date(start_year + 1, 1, 3)),
        ("Voorjaarsvakantie", date(start_year + 1, 2, 20), date(start_year + 1, 2, 28)),
        ("Meivakantie", date(start_year + 1, 4, 24), date(start_year + 1, 5, 2)),
        ("Zomervakantie", date(start_year + 1, 7, 17), date(start_year + 1, 8, 29)),
    ]


def _agenda_item(builder, school, title, start, end=None, groups=(), **fields):
    item = builder.get_or_create(
        AgendaItem,
        school=school,
        title=title,
        start_date=start,
        defaults={"end_date": end or start, "whole_school": not groups, **fields},
    )
    if groups and set(item.groups.all()) != set(groups):
        # A ParentalManyToManyField is written to the database when its item is saved.
        item.groups.set(groups)
        item.save()
    return item


def build_agenda(builder, school, year, groups):
    parallel_groups = builder.parallel_groups
    start_year = year.start_date.year
    breaks = holidays(start_year)
    for title, first, last in breaks:
        item = _agenda_item(
            builder,
            school,
            title,
            first,
            last,
            all_day=True,
            is_holiday=True,
            description="Alle groepen zijn vrij.",
        )
        # A demo loaded before holidays were marked: absences count school days by them.
        AgendaItem.objects.filter(pk=item.pk, is_holiday=False).update(is_holiday=True)
    for title, day in [
        ("Studiedag: alle kinderen vrij", on_weekday(date(start_year, 11, 18), 2)),
        ("Studiedag: alle kinderen vrij", on_weekday(date(start_year + 1, 3, 15), 0)),
    ]:
        _agenda_item(
            builder,
            school,
            title,
            day,
            all_day=True,
            description="Het team volgt een scholing. Er is geen opvang op school.",
        )
    _agenda_item(
        builder,
        school,
        "Sportdag",
        on_weekday(date(start_year + 1, 6, 3), 4),
        start_time=time(8, 30),
        end_time=time(14, 0),
        location="Sportpark De Hoef",
        description="De hele school sport. Neem gymkleding, een lunch en drinken mee.",
    )
    _agenda_item(
        builder,
        school,
        "Excursie kinderboerderij",
        on_weekday(date(start_year, 9, 22), 1),
        start_time=time(9, 0),
        end_time=time(12, 0),
        groups=[groups[3]],
        location="Kinderboerderij De Schaapskooi",
        description="We lopen samen naar de kinderboerderij. Hulpouders zijn welkom.",
    )
    camp = on_weekday(date(start_year + 1, 6, 14), 2)
    _agenda_item(
        builder,
        school,
        "Kamp groep 7",
        camp,
        camp + timedelta(days=2),
        all_day=True,
        groups=[groups[7]],
        location="Kampeerboerderij De Veluwe",
        description="Drie dagen op kamp. De paklijst volgt in een mailing.",
    )
    first_school_day = on_weekday(year.start_date, 0)
    last_school_day = breaks[-1][1] - timedelta(days=1)
    for level, group in ((lvl, g) for lvl in groups for g in parallel_groups[lvl]):
        weekday = (level - 1) % 5
        first = on_weekday(first_school_day, weekday)
        hour = 9 + level % 5
        gym = _agenda_item(
            builder,
            school,
            f"Gym {group.name}",
            first,
            groups=[group],
            start_time=time(hour, 0),
            end_time=time(hour, 45),
            location="Gymzaal Regenboog",
            repeat=Repeat.WEEKLY,
            repeat_until=last_school_day,
            description="Vergeet de gymschoenen niet.",
        )
        for _title, holiday_start, holiday_end in breaks[:-1]:
            day = on_weekday(holiday_start, weekday)
            while day <= holiday_end:
                builder.get_or_create(AgendaException, item=gym, date=day)
                day += timedelta(days=7)
