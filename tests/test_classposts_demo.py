"""The demo school shows klassenouders' posts: Marieke Jansen's published post in groep 3's
blog and her post waiting for juf Bakker's approval."""

import pytest
from django.urls import reverse

from pages.models import BlogPostPage
from schoolportal.classposts import writing

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_published_and_a_waiting_class_parents_post(demo_school, client):
    posts = BlogPostPage.objects.filter(class_parent__email="ouder.jansen@example.org")
    states = {state.post.title: state.status for state in writing.states_of(posts)}

    assert states == {
        "Bedankt voor het rijden naar de kinderboerderij": writing.PUBLISHED,
        "Wie helpt bij de kerstmarkt?": writing.WAITING,
    }
    marieke = posts.first().class_parent.user
    client.force_login(marieke)
    own = client.get(reverse("classposts:own_posts")).content.decode()
    assert "Wie helpt bij de kerstmarkt?" in own
    bakker = demo_school.staff.get(email="juf.bakker@example.org").user
    client.force_login(bakker)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Wie helpt bij de kerstmarkt?" in home
