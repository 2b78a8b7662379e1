"""The demo school's newsletters: November and December, with every kind of block.

The "Nieuwsbrief november" mailing with its PDF stays (``demo.mailings``): it is how the
school sent its newsletter before, and parents still find it under Mailingen. The issues
are history too: they are marked sent before they are published, so loading the demo
e-mails nobody. Each is looked up by title first, so loading the demo again adds nothing.

December also has two teachers' items for "uit de groepen" (``schoolportal.newsletters``),
written through the approval workflow: juf Bakker's is approved by the director and shows
in the issue, meester Visser's waits for approval.
"""

import random
from datetime import date, timedelta

from django.utils import timezone
from wagtail.rich_text import RichText

from pages.models import NewsletterPage, SchoolHomePage
from pages.provisioning import ensure_newsletter_index, ensure_school_collection
from pages.tasks import make_newsletter_renditions
from schoolportal.newsletters.models import GroupNewsItem
from schoolportal.people.models import StaffMember, StaffRole

from .grouppages import _drawn_photo
from .mailings import _demo_pdf


def _last(month, today):
    """The first day of the most recent ``month`` on or before ``today``."""
    year = today.year if today.month >= month else today.year - 1
    return date(year, month, 1)


def issues(today, groups):
    november, december = _last(11, today), _last(12, today)
    if december < november:  # before December: last year's December would come first
        december = date(november.year, 12, 1)
    return [
        {
            "title": "Nieuwsbrief november",
            "date": november,
            "intro": "De herfst is begonnen en er gebeurt veel op school: de kinderboerderij, "
            "de schoolfotograaf en de voorbereidingen voor Sinterklaas.",
            "body": [
                ("heading", "Schoolfotograaf"),
                (
                    "text",
                    "<p>Op <b>dinsdag 17 november</b> komt de schoolfotograaf. Broertjes en "
                    "zusjes die nog niet op school zitten, mogen om 8.15 uur mee op de foto.</p>",
                ),
                ("image", "Herfst op het schoolplein"),
                ("call_to_action", ("Informatie over de schoolfoto's", "schoolfoto.pdf")),
                (
                    "group_news",
                    (
                        3,
                        "Wij zijn naar de kinderboerderij geweest. De foto's staan op de "
                        "groepspagina!",
                    ),
                ),
                (
                    "group_news",
                    (
                        7,
                        "De eerste spreekbeurten zijn gehouden: over vulkanen, paarden en "
                        "de ruimte.",
                    ),
                ),
                ("agenda", 4),
            ],
        },
        {
            "title": "Nieuwsbrief december",
            "date": december,
            "intro": "December is een feestelijke maand. In deze nieuwsbrief leest u alles "
            "over Sinterklaas, het kerstdiner en de kerstvakantie.",
            "body": [
                ("heading", "Sinterklaas en kerst"),
                (
                    "text",
                    "<p>Sinterklaas bezoekt onze school op <b>vrijdag 4 december</b>. "
                    "Het kerstdiner is op donderdagavond voor de kerstvakantie; via de "
                    "klassenouders hoort u wat uw kind mag meenemen.</p>"
                    "<ul><li>Groep 1 t/m 4: surprises zijn niet nodig.</li>"
                    "<li>Groep 5 t/m 8: lootjes trekken in de klas.</li></ul>",
                ),
                ("image", "Lichtjes in de aula"),
                (
                    "call_to_action",
                    (
                        "Meer over de kerstviering",
                        "https://www.rijksoverheid.nl/onderwerpen/schoolvakanties",
                    ),
                ),
                ("group_news", (3, "Wij oefenen een kerstliedje voor de viering.")),
                ("group_news", (7, "Groep 7 maakt de kerststukjes voor de tafels.")),
                ("heading", "Wat komt er aan"),
                ("agenda", 6),
            ],
        },
    ]


def _block(kind, value, groups, rng, collection):
    if kind == "text":
        return kind, RichText(value)
    if kind == "image":
        photo = _drawn_photo(value, rng, collection)
        return kind, {"image": photo, "caption": value}
    if kind == "call_to_action":
        text, target = value
        if target.startswith("https://"):
            return kind, {"text": text, "url": target, "document": None}
        document = _demo_pdf(text, target)
        document.collection = collection.collection
        document.save()
        return kind, {"text": text, "url": "", "document": document}
    if kind == "group_news":
        level, text = value
        return kind, {"group": groups[level], "text": text}
    if kind == "agenda":
        return kind, {"heading": "Agenda", "weeks": value}
    return kind, value


def build_newsletters(builder, school, groups):
    home = SchoolHomePage.objects.get(school=school)
    index = ensure_newsletter_index(home)
    media = ensure_school_collection(school)
    rng = random.Random(20261201)
    now = timezone.now()
    for spec in issues(timezone.localdate(), groups):
        exists = NewsletterPage.objects.child_of(index).filter(title=spec["title"]).exists()
        builder.report.count("nieuwsbrieven", not exists)
        if exists:
            continue
        issue = NewsletterPage(
            title=spec["title"],
            issue_date=spec["date"],
            intro=spec["intro"],
            body=[_block(kind, value, groups, rng, media) for kind, value in spec["body"]],
            sent_at=now - timedelta(days=(now.date() - spec["date"]).days),
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()
        # As the demo's albums: the photo sizes now, also where no worker runs.
        make_newsletter_renditions(issue.pk)
    december = NewsletterPage.objects.child_of(index).get(title="Nieuwsbrief december")
    build_group_items(builder, december, groups)
    build_next_issue(builder, index)


def build_next_issue(builder, index):
    """January's issue, begun by the director and not published: what teachers write their
    group's item for."""
    title = "Nieuwsbrief januari"
    exists = NewsletterPage.objects.child_of(index).filter(title=title).exists()
    builder.report.count("nieuwsbrieven", not exists)
    if exists:
        return
    today = timezone.localdate()
    issue = NewsletterPage(
        title=title,
        issue_date=date(today.year + (today.month >= 8), 1, 8),
        intro="Gelukkig nieuwjaar! Een vooruitblik op de eerste weken van het jaar.",
        body=[("heading", "Nieuwjaarsborrel"), ("agenda", {"heading": "Agenda", "weeks": 4})],
        live=False,
    )
    index.add_child(instance=issue)
    issue.save_revision()


GROUP_ITEMS = [
    # (year level, text, approved by the director)
    (
        3,
        "Groep 3 leest! Deze maand leerden we de letters k, v en z. Op vrijdag lezen we "
        "voor aan groep 1/2.",
        True,
    ),
    (7, "Groep 7 zoekt nog twee ouders die willen helpen bij het kerstdiner.", False),
]


def build_group_items(builder, issue, groups):
    """Teachers' items written and sent for approval as in the admin; one approved."""
    director = (
        StaffMember.objects.filter(school=issue.school, role=StaffRole.MANAGEMENT)
        .exclude(user=None)
        .first()
    )
    for level, text, approved in GROUP_ITEMS:
        group = groups[level]
        exists = GroupNewsItem.objects.filter(issue=issue, group=group).exists()
        builder.report.count("groepsberichten", not exists)
        teacher = group.teachers.exclude(user=None).first()
        if exists or teacher is None:
            continue
        item = GroupNewsItem.objects.create(
            issue=issue, group=group, text=text, created_by=teacher.user
        )
        item.save_revision(user=teacher.user)
        item.get_workflow().start(item, teacher.user)
        if approved and director is not None:
            task_state = item.current_workflow_task_state
            task_state.task.specific.on_action(task_state, director.user, "approve")
