"""Klassenouders' blog posts waiting for approval, on the admin's home page.

Wagtail's own "awaiting your review" panel is swapped out for the school's panels
(``dashboard``), so the posts a teacher decides on get a panel of their own: the newest
waiting posts below the group pages she edits (``access.approvable_class_posts``), each
linking to the page editor where "Goedkeuren en publiceren" and "Terugsturen met
opmerking" are.
"""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from pages.models import GroupPage
from schoolportal import access
from schoolportal.classposts import writing

MAX_WAITING = 10


class WaitingPostsPanel(Component):
    name = "schoolportal_classposts"
    template_name = "snippets/dashboard_classposts.html"
    order = 5

    def __init__(self, posts):
        self.posts = posts

    def get_context_data(self, parent_context=None):
        # Their group pages in one query, not one per post.
        paths = {post.path[: -post.steplen] for post in self.posts}
        pages = {page.path: page for page in GroupPage.objects.filter(path__in=paths)}
        return {
            "posts": [
                {
                    "post": post,
                    "group_page": pages.get(post.path[: -post.steplen]),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[post.pk]),
                }
                for post in self.posts
            ]
        }


def waiting_posts(user):
    """The newest klassenouders' posts waiting for the user's approval."""
    candidates = access.approvable_class_posts(user).filter(live=False)
    candidates = candidates.select_related("class_parent").order_by("-latest_revision_created_at")
    states = writing.states_of(candidates[: MAX_WAITING * 3])
    return [state.post for state in states if state.status == writing.WAITING][:MAX_WAITING]


def waiting_posts_panel(request, panels):
    """``construct_homepage_panels``: shown to who has posts to decide on."""
    posts = waiting_posts(request.user)
    if posts:
        panels.append(WaitingPostsPanel(posts))
