"""Marieke Jansen, klassenouder of groep 3, wrote two posts for its blog: one the teacher
published, one still waiting for her approval (juf Bakker finds it on her admin home page
under "Wacht op goedkeuring"; Marieke under "Mijn berichten"). Looked up by title first,
so loading the demo again adds nothing."""

from datetime import timedelta

from django.utils import timezone

from pages.models import BlogPostPage, GroupPage
from schoolportal.classposts import writing
from schoolportal.people.models import ClassParent

WRITER = "ouder.jansen@example.org"
POSTS = [
    (
        "Bedankt voor het rijden naar de kinderboerderij",
        5,
        True,
        "<p>Lieve ouders, dank aan iedereen die heeft gereden! Dankzij jullie konden alle "
        "kinderen mee naar de geitjes.</p><p>Groetjes, Marieke (klassenouder)</p>",
    ),
    (
        "Wie helpt bij de kerstmarkt?",
        0,
        False,
        "<p>Voor de kerstmarkt zoeken we ouders die een uurtje willen helpen bij de kraam "
        "van groep 3.</p><p>Laat het even weten via de mailing die volgt!</p>",
    ),
]


def build_class_posts(builder, school, groups):
    group = groups[3]
    role = (
        ClassParent.objects.filter(group=group, guardian__email=WRITER)
        .select_related("guardian__user")
        .first()
    )
    page = GroupPage.objects.filter(group=group).first()
    teacher = group.teachers.exclude(user=None).first()
    if role is None or role.guardian.user is None or page is None or teacher is None:
        return
    guardian = role.guardian
    for title, days_ago, published, body in POSTS:
        exists = BlogPostPage.objects.child_of(page).filter(title=title).exists()
        builder.report.count("berichten van klassenouders", not exists)
        if exists:
            continue
        post = writing.save_post(
            page,
            guardian,
            guardian.user,
            post=None,
            title=title,
            body=body,
            photo=None,
            caption="",
            remove_photo=False,
        )
        if published:
            # Approved long ago: published by the teacher, without an e-mail now.
            post.date = timezone.localdate() - timedelta(days=days_ago)
            post.save_revision(user=teacher.user).publish(user=teacher.user)
        else:
            writing.submit(post, guardian.user)
