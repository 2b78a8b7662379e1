"""Absent melden refuses bad input with a clear Dutch message, keeps what was typed and
saves nothing; another family's child or report, and a school without absences, are 404."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from schoolportal.absences.models import AbsenceReport, EndedBy, Reason
from tests.absence_helpers import at, family
from tests.factories import PupilFactory, parent_of

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 10)  # a Wednesday


@pytest.fixture
def home():
    return family()


@pytest.fixture
def parent(client, home):
    with at(TODAY):
        client.force_login(home.parent.user)
        yield client


def post(client, home, **fields):
    data = {
        "pupil": home.child.pk,
        "reason": Reason.ILLNESS,
        "explanation": "",
        "first_day": TODAY.isoformat(),
        "expected_return": "",
        **fields,
    }
    return client.post(reverse("absences:report"), data)


def days(n):
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.mark.parametrize(
    "fields, message",
    [
        (
            {"first_day": days(2), "expected_return": days(1)},
            "'Verwacht terug' moet na de eerste dag van afwezigheid liggen.",
        ),
        (
            {"first_day": days(2), "expected_return": days(2)},
            "'Verwacht terug' moet na de eerste dag van afwezigheid liggen.",
        ),
        ({"first_day": days(-8)}, "De eerste dag mag hooguit 7 dagen geleden zijn."),
        ({"first_day": days(31)}, "De eerste dag mag hooguit 30 dagen vooruit liggen."),
        (
            {"reason": Reason.OTHER, "explanation": "  ", "expected_return": days(1)},
            "Vertel bij &#x27;anders&#x27; kort waarom uw kind afwezig is.",
        ),
        (
            {"reason": Reason.DOCTOR},
            "Vul in wanneer uw kind weer op school komt. Alleen bij ziekte mag dit leeg blijven.",
        ),
        ({"first_day": "31-02-2027"}, "Voer een geldige datum in."),
        ({"reason": "spijbelen"}, "Selecteer een geldige keuze."),
        ({"pupil": ""}, "Dit is een verplicht veld."),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message_and_nothing_saved(
    parent, home, committed, fields, message
):
    typed = fields.pop("explanation", "Koorts")
    with committed():
        response = post(parent, home, explanation=typed, **fields)

    assert response.status_code == 400
    assert message.replace("'", "&#x27;") in response.text
    assert AbsenceReport.objects.count() == 0
    assert mail.outbox == []
    # Nothing typed is lost.
    for value in (typed.strip(), fields.get("first_day"), fields.get("expected_return")):
        assert not value or value in response.text


def test_the_earliest_and_latest_first_days_are_accepted(parent, home):
    assert post(parent, home, first_day=days(-7)).status_code == 302
    AbsenceReport.objects.update(ended_at=timezone.now(), ended_by=EndedBy.PARENT)
    assert post(parent, home, first_day=days(30)).status_code == 302


def test_another_familys_child_is_404_and_nothing_is_saved(parent, home):
    stranger = PupilFactory(group=home.group, first_name="Sem")
    parent_of(stranger)

    assert post(parent, home, pupil=stranger.pk).status_code == 404
    assert post(parent, home, pupil=987654).status_code == 404
    assert post(parent, home, pupil="abc").status_code == 404
    assert parent.get(reverse("absences:report") + f"?kind={stranger.pk}").status_code == 404
    assert AbsenceReport.objects.count() == 0


def test_the_form_offers_only_own_children_at_schools_with_absences(parent, home):
    sibling_elsewhere = PupilFactory(first_name="Fenna")
    sibling_elsewhere.school.absences_enabled = False
    sibling_elsewhere.school.save()
    home.parent.pupils.add(sibling_elsewhere)

    page = parent.get(reverse("absences:report") + f"?kind={home.child.pk}").text
    assert "Daan Jansen" in page and "Fenna" not in page
    assert post(parent, home, pupil=sibling_elsewhere.pk).status_code == 404


def test_change_refuses_a_date_before_today_or_the_first_day(parent, home):
    report = AbsenceReport.objects.create(
        pupil=home.child,
        school=home.child.school,
        group=home.group,
        reason=Reason.FAMILY,
        first_day=TODAY - timedelta(days=3),
        expected_return=TODAY + timedelta(days=1),
    )
    url = reverse("absences:change", args=[report.pk])

    before_today = parent.post(url, {"expected_return": days(-1)})
    empty = parent.post(url, {"expected_return": ""})

    assert before_today.status_code == 400
    assert "Kies vandaag of later" in before_today.text
    assert f'value="{days(-1)}"' in before_today.text
    assert empty.status_code == 400
    assert "Alleen bij ziekte mag dit leeg blijven" in empty.text
    report.refresh_from_db()
    assert report.expected_return == TODAY + timedelta(days=1)


def test_reports_of_other_families_and_ended_ones_are_404(parent, home):
    stranger = PupilFactory(group=home.group)
    theirs = AbsenceReport.objects.create(
        pupil=stranger,
        school=stranger.school,
        group=home.group,
        reason=Reason.ILLNESS,
        first_day=TODAY,
    )
    ended = AbsenceReport.objects.create(
        pupil=home.child,
        school=home.child.school,
        group=home.group,
        reason=Reason.ILLNESS,
        first_day=TODAY - timedelta(days=5),
        ended_at=timezone.now(),
        ended_by=EndedBy.STAFF,
    )
    for report in (theirs, ended):
        for name in ("absences:change", "absences:end"):
            url = reverse(name, args=[report.pk])
            assert parent.get(url).status_code == 404
            assert parent.post(url, {"expected_return": days(3)}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open and theirs.expected_return is None


class TestModuleSwitch:
    @pytest.fixture
    def switched_off(self, home):
        school = home.child.school
        school.absences_enabled = False
        school.save()
        return school

    def test_urls_answer_404(self, parent, home, switched_off):
        report = AbsenceReport.objects.create(
            pupil=home.child,
            school=switched_off,
            group=home.group,
            reason=Reason.ILLNESS,
            first_day=TODAY,
        )
        for url in (
            reverse("absences:index"),
            reverse("absences:report"),
            reverse("absences:change", args=[report.pk]),
            reverse("absences:end", args=[report.pk]),
        ):
            assert parent.get(url).status_code == 404
            assert parent.post(url, {}).status_code == 404

    def test_menu_dashboard_and_child_page_hide_it(self, parent, home, switched_off):
        for url in (reverse("portal:dashboard"), reverse("portal:child", args=[home.child.pk])):
            page = parent.get(url).text
            assert "Absent melden" not in page
            assert reverse("absences:index") not in page

    def test_when_on_menu_dashboard_and_child_page_offer_it(self, parent, home):
        dashboard = parent.get(reverse("portal:dashboard")).text
        child = parent.get(reverse("portal:child", args=[home.child.pk])).text
        assert f'href="{reverse("absences:index")}"' in dashboard  # the menu
        assert f'href="{reverse("absences:report")}"' in dashboard  # the button
        assert f'href="{reverse("absences:report")}?kind={home.child.pk}"' in child
