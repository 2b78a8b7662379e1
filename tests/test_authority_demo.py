"""The demo school's father without parental authority: Rob Terpstra reads what the school
tells about Sophie and is told why he cannot change anything for her; loading the demo
again keeps him so."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from schoolportal import access
from schoolportal.people.models import Guardianship, Pupil

NOTICE = "U kunt dit niet wijzigen omdat u geen ouderlijk gezag heeft over Sophie."


@pytest.fixture
def school(demo_school, db):
    return demo_school


def test_sophies_father_reads_but_does_not_act_for_her(client, school):
    sophie = Pupil.objects.get(first_name="Sophie", last_name="Vries")
    father = Guardianship.objects.get(pupil=sophie, guardian__email="rob.terpstra@example.org")
    assert not father.has_parental_authority
    mother = Guardianship.objects.get(pupil=sophie, guardian__email="ouder.devries@example.org")
    assert mother.has_parental_authority
    client.force_login(father.guardian.user)
    page = client.get(reverse("portal:child", args=[sophie.pk]))
    assert page.status_code == 200
    assert NOTICE in page.content.decode()
    assert client.get(reverse("mailings:index")).status_code == 200
    edit = reverse("portal:child_edit", args=[sophie.pk, "toestemming"])
    assert client.get(edit).status_code == 403
    assert not access.may_act_for(father.guardian.user, sophie)


def test_loading_the_demo_again_keeps_the_father_without_authority(school):
    call_command("demo", stdout=StringIO())
    pairs = Guardianship.objects.filter(guardian__email="rob.terpstra@example.org")
    assert list(pairs.values_list("has_parental_authority", flat=True)) == [False]
