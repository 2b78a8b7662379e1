"""Reacties under group blog posts (issue #19): the group's parents and staff react, the
author changes their reaction for 15 minutes, the group page's editors hide and delete,
and the post's author, the group's teachers and followers get at most one e-mail an hour."""

from datetime import timedelta
from io import BytesIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule
from PIL import Image as PILImage
from wagtail.images import get_image_model

from pages.models import GroupPage
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import StaffRole
from schoolportal.reactions import digest, schedule
from schoolportal.reactions.models import DigestEntry, PostFollower, Reaction
from schoolportal.reactions.tasks import make_reaction_renditions
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    blog_post,
    parent_of,
    school_home,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A group with its teacher, two families and a post the teacher wrote; another group
    of the school and a group at another school, each with a parent."""
    school = SchoolFactory(name="Basisschool Het Anker")
    school_home(school)
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    teacher = StaffMemberFactory(school=school, display_name="juf Anna")
    group.teachers.add(teacher)
    manager = StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT)
    parent = parent_of(PupilFactory(group=group), first_name="Marieke", last_name="Jansen")
    other_parent = parent_of(PupilFactory(group=group), first_name="Ilse", last_name="Smit")
    page = GroupPage.objects.get(group=group)
    post = blog_post(page, title="Naar de kinderboerderij")
    post.owner = teacher.user
    post.save()
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    other_group_parent = parent_of(PupilFactory(group=other_group))
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    school_home(elsewhere)
    far_group = GroupFactory(school_year__school=elsewhere)
    far_teacher = StaffMemberFactory(school=elsewhere)
    far_group.teachers.add(far_teacher)
    return SimpleNamespace(
        school=school,
        group=group,
        page=page,
        post=post,
        teacher=teacher,
        manager=manager,
        parent=parent,
        other_parent=other_parent,
        other_group_parent=other_group_parent,
        far_teacher=far_teacher,
    )


def react_url(post):
    return reverse("grouppages:reactions:react", args=[post.pk])


def post_url(post):
    return reverse("grouppages:post", args=[post.pk])


def react(client, user, post, text="Wat een leuke dag!", **extra):
    client.force_login(user)
    return client.post(react_url(post), {"text": text, **extra})


def jpeg(size=(800, 600), exif=None):
    buffer = BytesIO()
    PILImage.new("RGB", size, (10, 200, 30)).save(
        buffer, "JPEG", **({"exif": exif} if exif else {})
    )
    return SimpleUploadedFile("IMG_2034.jpg", buffer.getvalue(), content_type="image/jpeg")


def later(minutes):
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes)
    )


# --- Reading and writing -------------------------------------------------------------------


def test_a_parent_of_the_group_reacts_and_everybody_of_the_group_reads_it(client, world):
    response = react(client, world.parent.user, world.post)

    reaction = Reaction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post_url(world.post)}#reactie-{reaction.pk}"
    assert (reaction.author_name, reaction.by_staff) == ("Marieke Jansen", False)
    for reader in (world.other_parent.user, world.teacher.user, world.manager.user):
        client.force_login(reader)
        page = client.get(post_url(world.post)).content.decode()
        assert "Wat een leuke dag!" in page
        assert "Marieke Jansen" in page
        assert timezone.localtime(reaction.created_at).strftime("%H:%M") in page


def test_a_teacher_reacts_under_their_display_name(client, world):
    react(client, world.teacher.user, world.post, text="Dank jullie wel!")

    reaction = Reaction.objects.get()
    assert (reaction.author_name, reaction.by_staff) == ("juf Anna", True)


def test_nobody_outside_the_group_reads_or_writes_reactions(client, world):
    react(client, world.parent.user, world.post)
    outsiders = (world.other_group_parent.user, world.far_teacher.user)

    for user in outsiders:
        client.force_login(user)
        assert client.get(post_url(world.post)).status_code == 404
        assert client.get(react_url(world.post)).status_code == 404
        assert client.post(react_url(world.post), {"text": "Gekaapt"}).status_code == 404
    assert Reaction.objects.count() == 1


def test_links_are_clickable_and_html_is_never_rendered(client, world):
    text = "Zie https://example.org/foto <script>alert(1)</script> <b>vet</b>"
    react(client, world.parent.user, world.post, text=text)

    page = client.get(post_url(world.post)).content.decode()

    assert '<a href="https://example.org/foto" rel="nofollow">https://example.org/foto</a>' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;vet&lt;/b&gt;" in page


def test_an_empty_reaction_is_refused_with_a_dutch_message(client, world):
    response = react(client, world.parent.user, world.post, text="   ")

    assert response.status_code == 400
    assert "Schrijf eerst uw reactie." in response.content.decode()
    assert not Reaction.objects.exists()


def test_the_post_page_costs_the_same_queries_for_one_or_many_reactions(
    client, world, django_assert_max_num_queries
):
    react(client, world.parent.user, world.post)
    client.get(post_url(world.post))
    with django_assert_max_num_queries(14) as one:
        client.get(post_url(world.post))
    for number in range(10):
        Reaction.objects.create(
            post=world.post, author=world.other_parent.user, author_name="Ilse", text=f"{number}"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(post_url(world.post))
    assert response.content.decode().count('class="reaction"') == 11


# --- Photos --------------------------------------------------------------------------------


def test_a_photo_is_stored_with_the_group_and_served_only_to_the_group_without_metadata(
    client, world
):
    exif = PILImage.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}  # GPS
    response = react(
        client,
        world.parent.user,
        world.post,
        photo=jpeg(exif=exif),
        photo_description="Een geit",
    )
    assert response.status_code == 302
    reaction = Reaction.objects.select_related("photo").get()
    assert reaction.photo.collection_id == world.page.collection_id
    assert PILImage.open(reaction.photo.file).getexif().get(0x010F) == "Apple"  # the control
    photo_url = reverse("grouppages:reactions:photo", args=[reaction.pk])

    make_reaction_renditions(reaction.pk)  # the worker, after the upload
    client.force_login(world.other_parent.user)
    served = client.get(photo_url)
    client.force_login(world.other_group_parent.user)
    refused = client.get(photo_url)

    assert served.status_code == 200
    assert served["Cache-Control"].startswith("private")
    image = PILImage.open(BytesIO(b"".join(served.streaming_content)))
    assert dict(image.getexif()) == {}
    assert refused.status_code == 404


def test_a_file_that_is_no_photo_is_refused_and_the_text_is_kept(client, world):
    upload = SimpleUploadedFile("brief.jpg", b"%PDF-1.4 geen foto", content_type="image/jpeg")

    response = react(
        client,
        world.parent.user,
        world.post,
        text="Mijn tekst blijft staan",
        photo=upload,
        photo_description="Een brief",
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "De foto is niet geplaatst" in content
    assert "Mijn tekst blijft staan" in content
    assert not Reaction.objects.exists()
    assert not get_image_model().objects.exists()


def test_a_photo_needs_a_description(client, world):
    response = react(client, world.parent.user, world.post, photo=jpeg())

    assert response.status_code == 400
    assert "Beschrijf wat er op de foto te zien is" in response.content.decode()
    assert not Reaction.objects.exists()


# --- Changing and deleting -----------------------------------------------------------------


def test_the_author_changes_their_reaction_for_15_minutes_only(client, world):
    react(client, world.parent.user, world.post, text="Eerste versie")
    reaction = Reaction.objects.get()
    url = reverse("grouppages:reactions:edit", args=[reaction.pk])

    with later(14):
        assert client.get(url).status_code == 200
        changed = client.post(url, {"text": "Tweede versie"})
    with later(16):
        closed_page = client.get(url)
        too_late = client.post(url, {"text": "Derde versie"})

    reaction.refresh_from_db()
    assert changed.status_code == 302
    assert reaction.text == "Tweede versie"
    assert reaction.edited_at is not None
    assert closed_page.status_code == 302
    assert too_late.status_code == 400
    assert "tot 15 minuten na het plaatsen" in too_late.content.decode()


def test_nobody_else_changes_a_reaction(client, world):
    react(client, world.parent.user, world.post)
    url = reverse("grouppages:reactions:edit", args=[Reaction.objects.get().pk])

    for user in (world.other_parent.user, world.teacher.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "Gekaapt"}).status_code == 404
    assert Reaction.objects.get().text == "Wat een leuke dag!"


def test_the_author_deletes_their_reaction_and_its_photo_goes_with_it(client, world):
    react(client, world.parent.user, world.post, photo=jpeg(), photo_description="Een geit")
    reaction = Reaction.objects.get()
    url = reverse("grouppages:reactions:delete", args=[reaction.pk])

    with later(60 * 24):  # long after the window for changing it
        assert client.get(url).status_code == 200
        response = client.post(url)

    assert response.status_code == 302
    assert not Reaction.objects.exists()
    assert not get_image_model().objects.exists()


def test_another_parent_cannot_delete_but_the_teacher_can(client, world):
    react(client, world.parent.user, world.post)
    url = reverse("grouppages:reactions:delete", args=[Reaction.objects.get().pk])

    client.force_login(world.other_parent.user)
    refused = client.post(url)
    client.force_login(world.teacher.user)
    deleted = client.post(url)

    assert refused.status_code == 404
    assert deleted.status_code == 302
    assert not Reaction.objects.exists()


# --- Hiding --------------------------------------------------------------------------------


def test_the_teacher_hides_a_reaction_from_parents_and_shows_it_again(client, world):
    react(client, world.parent.user, world.post, text="Niet zo aardig")
    reaction = Reaction.objects.get()
    hide_url = reverse("grouppages:reactions:hide", args=[reaction.pk])

    client.force_login(world.teacher.user)
    hidden = client.post(hide_url, {"action": "hide"})
    teachers_page = client.get(post_url(world.post)).content.decode()
    client.force_login(world.other_parent.user)
    parents_page = client.get(post_url(world.post)).content.decode()
    client.force_login(world.parent.user)
    authors_page = client.get(post_url(world.post)).content.decode()
    author_edit = client.get(reverse("grouppages:reactions:edit", args=[reaction.pk]))

    reaction.refresh_from_db()
    assert hidden.status_code == 302
    assert reaction.hidden_by_id == world.teacher.user_id
    assert "Niet zo aardig" in teachers_page
    assert "Verborgen voor ouders." in teachers_page
    assert "Niet zo aardig" not in parents_page
    assert "Niet zo aardig" not in authors_page
    assert author_edit.status_code == 404

    client.force_login(world.teacher.user)
    client.post(hide_url, {"action": "show"})
    client.force_login(world.other_parent.user)
    assert "Niet zo aardig" in client.get(post_url(world.post)).content.decode()


def test_parents_cannot_hide_reactions(client, world):
    react(client, world.other_parent.user, world.post)
    reaction = Reaction.objects.get()
    hide_url = reverse("grouppages:reactions:hide", args=[reaction.pk])

    for user in (world.parent.user, world.other_parent.user):
        client.force_login(user)
        assert client.post(hide_url, {"action": "hide"}).status_code == 404
        assert client.get(hide_url).status_code == 302  # back to the post: a GET changes nothing
    reaction.refresh_from_db()
    assert reaction.hidden_at is None


# --- Switches ------------------------------------------------------------------------------


@pytest.mark.parametrize("switch", ["school", "group page", "post", "group pages"])
def test_a_switch_turned_off_hides_reactions_and_answers_404(client, world, switch):
    # With a photo whose size is made: switched on, its route would answer.
    react(
        client,
        world.parent.user,
        world.post,
        text="Eerder geschreven",
        photo=jpeg(),
        photo_description="Een tekening",
    )
    reaction = Reaction.objects.get()
    assert reaction.photo_id is not None
    make_reaction_renditions(reaction.pk)
    if switch == "school":
        world.school.reactions_enabled = False
        world.school.save()
    elif switch == "group pages":
        world.school.group_pages_enabled = False
        world.school.save()
    elif switch == "group page":
        GroupPage.objects.filter(pk=world.page.pk).update(reactions_enabled=False)
    else:
        type(world.post).objects.filter(pk=world.post.pk).update(reactions_enabled=False)

    page = client.get(post_url(world.post))
    urls = [
        react_url(world.post),
        reverse("grouppages:reactions:follow", args=[world.post.pk]),
        *(
            reverse(f"grouppages:reactions:{name}", args=[reaction.pk])
            for name in ("edit", "delete", "hide", "photo")
        ),
    ]

    if switch == "group pages":
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        assert "Eerder geschreven" not in page.content.decode()
        assert "Reageren" not in page.content.decode()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "Gekaapt"}).status_code in (404, 405), url


# --- Following and the digest --------------------------------------------------------------


def test_a_parent_follows_and_unfollows_a_post(client, world):
    client.force_login(world.other_parent.user)
    url = reverse("grouppages:reactions:follow", args=[world.post.pk])

    client.post(url, {"follow": "1"})
    client.post(url, {"follow": "1"})  # twice is once
    following = PostFollower.objects.filter(post=world.post).count()
    page = client.get(post_url(world.post)).content.decode()
    client.post(url, {"follow": "0"})

    assert following == 1
    assert "Niet meer volgen" in page
    assert not PostFollower.objects.exists()


def digest_mail(committed):
    with committed():
        digest.send_digests()
    return {message.to[0]: message for message in mail.outbox}


def test_the_author_teachers_and_followers_get_one_digest_and_nobody_anything_twice(
    client, world, committed
):
    PostFollower.objects.create(post=world.post, user=world.other_parent.user)
    react(client, world.parent.user, world.post, text="Wat een leuke dag!\nDank je wel.")

    first = digest_mail(committed)
    mail.outbox.clear()
    second = digest_mail(committed)

    assert set(first) == {world.teacher.user.email, world.other_parent.user.email}
    assert second == {}
    to_parent = first[world.other_parent.user.email]
    assert "Wat een leuke dag!\nDank je wel." in to_parent.body  # in full, read without login
    assert "Marieke Jansen" in to_parent.body
    assert "Op deze e-mail kunt u niet antwoorden" in to_parent.body
    assert reverse("conversations:compose") in to_parent.body
    assert post_url(world.post) in to_parent.body
    assert OutboxMessage.objects.filter(kind=digest.KIND).count() == 2


def test_a_second_digest_waits_an_hour_and_lists_only_what_is_new(client, world, committed):
    react(client, world.parent.user, world.post, text="Eerste reactie")
    digest_mail(committed)
    mail.outbox.clear()
    react(client, world.other_parent.user, world.post, text="Tweede reactie")

    with later(30):
        within_the_hour = digest_mail(committed)
    with later(61):
        after_an_hour = digest_mail(committed)

    assert within_the_hour == {}
    teachers = after_an_hour[world.teacher.user.email]
    assert "Tweede reactie" in teachers.body
    assert "Eerste reactie" not in teachers.body
    assert DigestEntry.objects.filter(user=world.teacher.user).count() == 2


def test_the_digest_leaves_out_hidden_reactions_and_readers_who_left(client, world, committed):
    follower = world.other_parent
    PostFollower.objects.create(post=world.post, user=follower.user)
    react(client, world.parent.user, world.post, text="Verborgen reactie")
    Reaction.objects.update(hidden_at=timezone.now())
    react(client, world.parent.user, world.post, text="Zichtbare reactie")
    follower.pupils.update(group=GroupFactory(school_year=world.group.school_year))

    sent = digest_mail(committed)

    assert set(sent) == {world.teacher.user.email}
    assert "Zichtbare reactie" in sent[world.teacher.user.email].body
    assert "Verborgen reactie" not in sent[world.teacher.user.email].body


def test_the_digest_runs_on_a_schedule():
    made = Schedule.objects.get(name=schedule.NAME)

    assert made.func == schedule.RUN
    assert made.minutes <= 15


# --- The admin's "Reacties" ----------------------------------------------------------------


def test_staff_moderate_their_groups_reactions_in_the_admin(client, world):
    react(client, world.parent.user, world.post, text="Onder groep 3")
    reaction = Reaction.objects.get()
    other_page = GroupPage.objects.exclude(pk=world.page.pk).filter(group__school=world.school)
    other_post = blog_post(other_page.get(), title="Groep 7 nieuws")
    Reaction.objects.create(
        post=other_post, author=world.other_group_parent.user, author_name="X", text="Groep 7"
    )
    listing = reverse("reactions_admin")

    client.force_login(world.teacher.user)
    teachers = client.get(listing).content.decode()
    hidden = client.post(reverse("reactions_hide", args=[reaction.pk]), {"action": "hide"})
    client.force_login(world.manager.user)
    managers = client.get(listing).content.decode()
    client.force_login(world.far_teacher.user)
    far = client.get(listing).content.decode()
    far_delete = client.post(reverse("reactions_delete", args=[reaction.pk]))

    assert "Onder groep 3" in teachers
    assert "Groep 7" not in teachers
    assert hidden.status_code == 302
    assert Reaction.objects.get(pk=reaction.pk).hidden_at is not None
    assert "Onder groep 3" in managers and "Groep 7" in managers
    assert "Onder groep 3" not in far
    assert far_delete.status_code == 404
    assert Reaction.objects.filter(pk=reaction.pk).exists()

    client.force_login(world.teacher.user)
    assert client.post(reverse("reactions_delete", args=[reaction.pk])).status_code == 302
    assert not Reaction.objects.filter(pk=reaction.pk).exists()
