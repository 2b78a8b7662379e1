"""The demo school's Reacties: two under groep 3's first blog post, from the De Vries
family and juf Bakker.

Written as rows long enough ago that the digest (``reactions.digest.LOOKBACK``) never
e-mails them: loading the demo queues no e-mail. A post that has reactions is left as it is.
"""

from datetime import timedelta

from django.utils import timezone

from pages.models import BlogPostPage, GroupPage
from schoolportal.people.models import Guardian, StaffMember
from schoolportal.reactions.models import Reaction

POST = (3, "Welkom in groep 3")
REACTIONS = [
    # (days ago, guardian's e-mail or "staff", text)
    (
        59,
        "ouder.devries@example.org",
        "Sophie heeft er zin in! Zijn de leesboekjes van vorig jaar nog te leen? "
        "Dan kunnen we in de vakantie verder oefenen. Op https://www.bibliotheek.nl "
        "vonden we ook al een paar leuke boeken.",
    ),
    (
        58,
        "staff",
        "Wat leuk om te horen! De boekjes staan in de kast bij de deur; Sophie mag er "
        "elke vrijdag twee mee naar huis nemen.",
    ),
]


def build_reactions(builder, school, groups):
    level, title = POST
    group = groups.get(level)
    page = GroupPage.objects.filter(group=group).first() if group is not None else None
    post = BlogPostPage.objects.child_of(page).filter(title=title).first() if page else None
    exists = post is not None and Reaction.objects.filter(post=post).exists()
    builder.report.count("reacties", post is not None and not exists)
    if post is None or exists:
        return
    teacher = (
        page.group.teachers.order_by("pk").first()
        or StaffMember.objects.filter(school=school).first()
    )
    now = timezone.now()
    for days, author, text in REACTIONS:
        if author == "staff":
            name, user, by_staff = teacher.display_name, teacher.user, True
        else:
            guardian = Guardian.objects.filter(email=author).first()
            if guardian is None:
                continue
            name, user, by_staff = guardian.full_name, guardian.user, False
        Reaction.objects.create(
            post=post,
            author=user,
            author_name=name,
            by_staff=by_staff,
            text=text,
            created_at=now - timedelta(days=days),
        )
