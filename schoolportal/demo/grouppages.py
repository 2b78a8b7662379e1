"""The demo school's group pages: groep 3 and groep 7 (the Jansen children's) with a blog,
photo albums and files; every other group with a welcome.

The photos are drawn here (meadows, animals, pumpkins as coloured shapes): demo data
holds no real child's picture. Each item is looked up by title first, so loading the
demo again adds nothing.
"""

import random
from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

from pages.models import AlbumPhoto, BlogPostPage, GroupPage, GroupPageFile, PhotoAlbumPage
from pages.provisioning import ensure_group_pages
from pages.tasks import make_album_renditions
from schoolportal.people.models import Pupil

from .families import RESERVED_FIRST_NAMES
from .mailings import _demo_pdf

WELCOME = (
    "<p>Welkom op de groepspagina van {group}! Hier vindt u foto's van wat we in de klas doen, "
    "de blog met nieuws uit de groep en bestanden zoals de weekplanning.</p>"
)
CONTENT = {
    3: {
        "posts": [
            (
                "Onze nieuwe leeshoek",
                2,
                "<p>Deze week hebben we samen een leeshoek ingericht, met kussens en een "
                "kast vol prentenboeken. Elke ochtend lezen we een kwartier voor.</p>"
                "<p>Heeft u thuis nog boeken die u niet meer leest? We zijn er blij mee!</p>",
            ),
            (
                "Rekenen met blokjes",
                9,
                "<p>We oefenen de sommen tot 20 met blokjes en de rekenrekjes. Oefent u thuis "
                "mee? Tel samen de traptreden of de boodschappen.</p>",
            ),
            (
                "Welkom in groep 3",
                60,
                "<p>Wat fijn dat we weer zijn begonnen! Dit jaar leren we lezen en schrijven. "
                "Op deze pagina houden we u op de hoogte.</p>",
            ),
        ],
        "albums": [
            ("Uitje naar de kinderboerderij", 6, 5, "Met de hele groep naar de geitjes."),
            ("Herfstwandeling", 20, 4, "Kastanjes, bladeren en paddenstoelen verzamelen."),
        ],
        "files": [("Weekplanning groep 3", "weekplanning-groep-3.pdf", "Deze week")],
    },
    7: {
        "posts": [
            (
                "Spreekbeurten",
                5,
                "<p>Vanaf volgende week houden de eerste kinderen hun spreekbeurt. Het "
                "rooster staat bij de bestanden.</p>",
            ),
        ],
        "albums": [("Sportdag", 30, 4, "Touwtrekken, zaklopen en estafette.")],
        "files": [("Rooster spreekbeurten", "rooster-spreekbeurten.pdf", "")],
    },
}
# (album, caption) of the photo on which a child without group-page consent is tagged.
TAGGED_PHOTO = ("Uitje naar de kinderboerderij", "Uitje naar de kinderboerderij (2)")
PALETTES = [
    ((135, 196, 235), (95, 170, 80), (240, 200, 60)),
    ((170, 210, 240), (120, 160, 70), (230, 120, 40)),
    ((200, 225, 245), (80, 140, 90), (200, 60, 60)),
]


def build_group_pages(builder, school, groups):
    ensure_group_pages(school)
    today = timezone.localdate()
    rng = random.Random(20261130)
    for level, group in groups.items():
        page = GroupPage.objects.get(group=group)
        if not page.intro:
            page.intro = WELCOME.format(group=group.name.lower())
            page.save_revision().publish()
        content = CONTENT.get(level)
        if content is None:
            continue
        for title, days_ago, body in content["posts"]:
            if _missing(builder, page, BlogPostPage, title):
                date = today - timedelta(days=days_ago)
                _publish_below(page, BlogPostPage(title=title, date=date, body=body))
        for title, days_ago, count, description in content["albums"]:
            if not _missing(builder, page, PhotoAlbumPage, title):
                continue
            album = PhotoAlbumPage(
                title=title, date=today - timedelta(days=days_ago), description=description
            )
            album.photos = [
                AlbumPhoto(image=_drawn_photo(f"{title} {n}", rng, page), caption=f"{title} ({n})")
                for n in range(1, count + 1)
            ]
            _publish_below(page, album)
            # Publishing asks the task worker for the photo sizes; the demo makes them now, so
            # its albums show photos at once, also where no worker runs (the browser journeys).
            make_album_renditions(album.pk)
        if level == 3:
            _tag_a_child_without_consent(builder, page, group)
        for title, filename, description in content["files"]:
            if not page.files.filter(document__title=title).exists():
                document = _demo_pdf(title, filename)
                document.collection = page.collection
                document.save()
                GroupPageFile.objects.create(page=page, document=document, description=description)


def _tag_a_child_without_consent(builder, page, group):
    """One photo of groep 3's trip shows a classmate whose parents gave no consent for
    photos on the group page: Marieke Jansen does not see it, juf Bakker reads the warning
    in the album editor. Published as a revision, so the editor shows the tag."""
    album = PhotoAlbumPage.objects.child_of(page).filter(title=TAGGED_PHOTO[0]).first()
    if album is None or AlbumPhoto.pupils.through.objects.filter(albumphoto__album=album).exists():
        return
    classmate = (
        Pupil.objects.current()
        .filter(group=group, photo_consent_group_page=False)
        .exclude(first_name__in=RESERVED_FIRST_NAMES)
        .order_by("last_name", "first_name", "pk")
        .first()
    )
    photos = list(album.photos.all())
    photo = next((photo for photo in photos if photo.caption == TAGGED_PHOTO[1]), None)
    if classmate is None or photo is None:
        return
    photo.pupils.set([classmate])
    album.photos = photos
    album.save_revision().publish()


def _missing(builder, page, model, title):
    exists = model.objects.child_of(page).filter(title=title).exists()
    builder.report.count(model._meta.verbose_name_plural, not exists)
    return not exists


def _publish_below(page, child):
    page.add_child(instance=child)
    child.save_revision().publish()


def _drawn_photo(title, rng, page):
    """A 1200x900 picture of a meadow with a sun and some round animals."""
    sky, grass, accent = rng.choice(PALETTES)
    picture = Image.new("RGB", (1200, 900), sky)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 560, 1200, 900), fill=grass)
    draw.ellipse((920, 80, 1080, 240), fill=(250, 220, 80))
    for _ in range(rng.randint(3, 6)):
        x, y, size = rng.randint(60, 1040), rng.randint(600, 780), rng.randint(60, 130)
        draw.ellipse((x, y, x + size * 1.5, y + size), fill=accent)
        draw.ellipse((x + size * 1.2, y - size * 0.4, x + size * 1.8, y + size * 0.2), fill=accent)
    buffer = BytesIO()
    picture.save(buffer, "JPEG", quality=82)
    filename = title.lower().replace(" ", "-") + ".jpg"
    return get_image_model().objects.create(
        title=title,
        file=ContentFile(buffer.getvalue(), name=filename),
        collection=page.collection,
        description=title,
    )
