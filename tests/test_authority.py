"""Ouderlijk gezag: a guardian without parental authority is informed, never acts for the child.

Every parent route is classified below (a new one fails ``test_every_parent_route_is_
classified`` until somebody decides), and every route that acts for a child is walked with
the father who has no authority over Emma: refused (403 with the reason, or the page shows
the reason instead of the form) and nothing changed; the same requests by the mother, who
has authority, do change it, so the refusal is the rule and not a broken request. The
decisions and their reasons are in docs/privacy.md.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolportal import access
from schoolportal.absences.models import AbsenceReport, Reason
from schoolportal.consent.models import ConsentChange
from schoolportal.interviews import rules as interview_rules
from schoolportal.interviews.models import InterviewBooking, InterviewDay, InterviewRound
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.delivery import remind_non_responders
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.mailings.replies import reply_units
from schoolportal.notifications.models import OutboxMessage
from schoolportal.parentviews.caching import bump_version
from schoolportal.people import linking
from schoolportal.people.models import (
    EmergencyContact,
    Guardianship,
    Pupil,
    Relation,
    StaffRole,
)
from schoolportal.pupilimport.plan import apply_plan, make_plan
from schoolportal.pupilimport.sample import HEADERS, sample_rows
from tests.absence_helpers import at
from tests.factories import (
    GroupFactory,
    GuardianFactory,
    PupilFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
    pupil_result,
    school_report,
    send_mailing,
)
from tests.test_pupilimport import rows_of
from tests.test_security import ROUTES, parent_area

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 8)
NOTICE = "U kunt dit niet wijzigen omdat u geen ouderlijk gezag heeft over Emma."
CONTACT = "Neem contact op met school als dit niet klopt."

# Every parent route (under /portaal/), by what it does for a child:
# - ACTS: acts for one child (in the school's name, or the child's data, consent or agreements):
#   only with parental authority. The value says which methods act: "all" (the page is the
#   form: refused outright) or "post" (the page also shows the child's data: GET shows the
#   reason instead of the form, POST is refused).
# - INFORMED: what the school tells parents about the child or the group: every guardian.
# - OWN: the guardian's own account, profile, messages and class-parent work, no child's data.
ACTS = {
    "portal:child_edit": "all",  # address, medical notes, photo consent
    "portal:child_emergency_contacts": "all",
    # Reporting absent is in the school's name (Leerplichtwet); the form offers only the
    # children the parent has authority over, and names the others with the reason.
    "absences:report": "all",
    "absences:change": "all",
    "absences:end": "all",
    "lunch:child": "post",  # registering lunch days is an agreement (and a bill) for the child
    "lunch:cancel": "all",
    "interviews:book": "all",  # the child's one interview per round, shared by its parents
    "interviews:cancel": "all",
    "mailings:detail": "post",  # a reply slip's one answer for the child or family
}
# What shows the form on a "post" page: absent for the father, present for the mother.
FORM_MARKERS = {"lunch:child": 'value="dates"', "mailings:detail": "Antwoord opslaan"}
INFORMED = {
    "portal:dashboard",
    "privacy:privacy",
    "grouppages:reactions:photo",
    "portal:school",
    "portal:class_list_root",
    "portal:class_list",
    "portal:class_list_print",
    "portal:children",
    "portal:child",
    "portal:help",
    "agenda:index",
    "agenda:month",
    "agenda:item",
    "agenda:item_ics",
    "mailings:index",
    "mailings:attachment",
    "grouppages:index",
    "grouppages:group",
    "grouppages:blog",
    "grouppages:post",
    "grouppages:post_photo",
    "grouppages:album",
    "grouppages:photo_page",
    "grouppages:photo",
    "grouppages:thumbnail",
    "grouppages:file",
    "absences:index",
    "lunch:index",
    "results:index",
    "results:child",
    "results:report",
    "interviews:index",
    "interviews:round",
    "interviews:download",
    "newsletters:index",
    "newsletters:issue",
    "newsletters:image",
    "newsletters:document",
}
OWN = {
    "portal:profile",
    "portal:profile_edit",
    "portal:password_change",
    "portal:email_change",
    # Linking asks for a code the school handed out; what it grants is the school's record
    # (test_a_link_code_never_gives_authority_the_school_did_not_record).
    "portal:link_child",
    "portal:babysitters",  # the guardian's own babysitter, for their own days with the child
    "portal:babysitter_add",
    "portal:babysitter_edit",
    "portal:babysitter_delete",
    "agenda:share",
    "conversations:index",  # Berichten: writing to school is how they ask (1:377c)
    "conversations:sent",
    "conversations:compose",
    "conversations:suggestions",
    "conversations:conversation",
    "conversations:attachment",
    "mailings:write",  # a klassenouder's mailing is about the group, not a child
    "mailings:draft",
    "mailings:draft_edit",
    "mailings:answers",
    # A klassenouder's blog post is about the group, like their mailing, not about a child.
    "classposts:write",
    "classposts:own_posts",
    "classposts:own_post",
    "classposts:edit",
    "classposts:photo",
    # Reacties are the parent's own words under a group's post ("hide" is the editors').
    "grouppages:reactions:react",
    "grouppages:reactions:edit",
    "grouppages:reactions:delete",
    "grouppages:reactions:follow",
    "grouppages:reactions:hide",
    # Mijn gegevens downloaden: a right of every guardian about themselves (AVG art. 15).
    "dataexport:start",
    "dataexport:status",
    "dataexport:download",
}


def test_every_parent_route_is_classified():
    parent_routes = {spec.name for spec in ROUTES if parent_area(spec)}
    classified = set(ACTS) | INFORMED | OWN
    assert not (set(ACTS) & INFORMED) and not (set(ACTS) & OWN) and not (INFORMED & OWN)
    assert parent_routes == classified, (
        "Decide for each new parent route whether it acts for a child (ACTS: only with "
        "parental authority), informs (INFORMED) or is the guardian's own (OWN); write the "
        "decision in docs/privacy.md."
    )


# --- Emma's family: the mother has parental authority, the father (elsewhere) has not ---------


@dataclass
class Family:
    child: Pupil
    mother: object
    father: object
    absence: AbsenceReport
    lunch_day: LunchDay
    interview_round: object
    booking: InterviewBooking
    free_slot: object
    child_slip: object
    family_slip: object


@pytest.fixture
def clock():
    with at(MONDAY, 8) as frozen:
        yield frozen


@pytest.fixture
def home(clock):
    group = GroupFactory(
        school_year__school__lunch_enabled=True,
        school_year__school__results_enabled=True,
        school_year__school__interviews_enabled=True,
        name="Groep 3",
    )
    school = group.school
    teacher = StaffMemberFactory(school=school, user=UserFactory(email="juf@example.org"))
    group.teachers.add(teacher)
    child = PupilFactory(first_name="Emma", last_name="Jansen", group=group, school=school)
    mother = parent_of(child, first_name="Marieke", email="marieke@example.org")
    father = parent_of(child, first_name="Peter", email="peter@example.org")
    Guardianship.objects.filter(guardian=father).update(
        relation=Relation.FATHER, has_parental_authority=False
    )
    absence = AbsenceReport.objects.create(
        pupil=child,
        school=school,
        group=group,
        reason=Reason.ILLNESS,
        first_day=MONDAY,
        expected_return=MONDAY + timedelta(days=1),
    )
    lunch_day = LunchDay.objects.create(pupil=child, school=school, date=MONDAY + timedelta(days=8))
    rounds = open_round(school, group, teacher)
    first, second, _third = rounds.slots.order_by("starts_at")
    booking = interview_rules.book(child, first, subject="Lezen")
    question = [("Rijdt u mee?", "radio", "Ja\nNee", True)]
    deadline = {"reply_deadline": timezone.now() + timedelta(days=7)}
    child_slip = send_mailing([group], fields=question, reply_per="child", **deadline)
    family_slip = send_mailing([group], fields=question, reply_per="family", **deadline)
    return Family(
        child, mother, father, absence, lunch_day, rounds, booking, second, child_slip, family_slip
    )


def open_round(school, group, teacher):
    """Tienminutengesprekken open for booking, with three times ten days from now."""
    now = timezone.now()
    made = InterviewRound.objects.create(
        school=school,
        title="Tienminutengesprekken",
        booking_opens_at=now - timedelta(days=1),
        booking_closes_at=now + timedelta(days=7),
    )
    made.groups.add(group)
    made.save()
    InterviewDay.objects.create(
        round=made,
        teacher=teacher,
        date=MONDAY + timedelta(days=10),
        start_time=time(18),
        end_time=time(18, 30),
        room="Lokaal 3",
    )
    interview_rules.generate_slots(made)
    return made


def slip_post(mailing, child):
    field = mailing.reply_fields.get()
    return {"unit": str(child.pk), f"unit{child.pk}-{field.clean_name}": "Ja"}


def requests_acting_for_emma(home):
    """Per ACTS route: (url, POST data that would change something). Each route's GET is the
    same url."""
    child = home.child
    edit = lambda section: reverse("portal:child_edit", args=[child.pk, section])  # noqa: E731
    return {
        "portal:child_edit": [
            (
                edit("adres"),
                {"street": "Nieuwstraat", "house_number": "1", "postcode": "", "city": "Utrecht"},
            ),
            (edit("medisch"), {"medical_notes": "Astma", "allergies": "Pinda's"}),
            (edit("toestemming"), {"photo_consent_website": "on"}),
        ],
        "portal:child_emergency_contacts": [
            (
                reverse("portal:child_emergency_contacts", args=[child.pk]),
                {
                    "emergency_contacts-TOTAL_FORMS": "1",
                    "emergency_contacts-INITIAL_FORMS": "0",
                    "emergency_contacts-MIN_NUM_FORMS": "0",
                    "emergency_contacts-MAX_NUM_FORMS": "5",
                    "emergency_contacts-0-name": "Oma Jansen",
                    "emergency_contacts-0-relation": "oma",
                    "emergency_contacts-0-phone": "030-1234567",
                },
            )
        ],
        "absences:report": [
            (
                reverse("absences:report") + f"?kind={child.pk}",
                {
                    "pupil": str(child.pk),
                    "reason": Reason.DOCTOR,
                    "first_day": (MONDAY + timedelta(days=2)).isoformat(),
                    "expected_return": (MONDAY + timedelta(days=3)).isoformat(),
                },
            )
        ],
        "absences:change": [
            (
                reverse("absences:change", args=[home.absence.pk]),
                {"expected_return": (MONDAY + timedelta(days=3)).isoformat()},
            )
        ],
        "absences:end": [(reverse("absences:end", args=[home.absence.pk]), {})],
        "lunch:child": [
            (
                reverse("lunch:child", args=[child.pk]),
                {"form": "dates", "days": [(MONDAY + timedelta(days=1)).isoformat()]},
            )
        ],
        "lunch:cancel": [(reverse("lunch:cancel", args=[home.lunch_day.pk]), {})],
        "interviews:book": [
            (
                reverse("interviews:book", args=[home.interview_round.pk, child.pk]),
                {"slot": str(home.free_slot.pk), "subject": "Rekenen"},
            )
        ],
        "interviews:cancel": [(reverse("interviews:cancel", args=[home.booking.pk]), {})],
        "mailings:detail": [
            (
                reverse("mailings:detail", args=[slip.pk]),
                slip_post(slip, child),
            )
            for slip in (home.child_slip, home.family_slip)
        ],
    }


def state(child):
    """What acting for the child could change, as plain values."""
    return {
        "pupil": Pupil.objects.filter(pk=child.pk).values().get(),
        "contacts": list(EmergencyContact.objects.filter(pupil=child).values()),
        "consent": ConsentChange.objects.filter(pupil=child).count(),
        "absences": list(AbsenceReport.objects.filter(pupil=child).order_by("pk").values()),
        "lunch": list(LunchDay.objects.filter(pupil=child).order_by("pk").values()),
        "bookings": list(InterviewBooking.objects.filter(pupil=child).order_by("pk").values()),
        "answers": list(ReplySlipAnswer.objects.order_by("pk").values()),
    }


def assert_refused(response):
    assert response.status_code == 403
    text = response.content.decode()
    assert NOTICE in text and CONTACT in text


@pytest.mark.parametrize("name", sorted(ACTS))
def test_a_guardian_without_authority_is_refused_and_nothing_changes(client, home, name):
    client.force_login(home.father.user)
    before = state(home.child)
    for url, data in requests_acting_for_emma(home)[name]:
        page = client.get(url)
        if ACTS[name] == "all":
            assert_refused(page)
        else:  # the page shows the child's data, and the reason where the form would be
            assert page.status_code == 200
            assert NOTICE in page.content.decode()
            assert FORM_MARKERS[name] not in page.content.decode()
        assert_refused(client.post(url, data))
    assert state(home.child) == before


@pytest.mark.parametrize("name", sorted(ACTS))
def test_the_parent_with_authority_acts_with_the_same_requests(client, home, name):
    client.force_login(home.mother.user)
    for url, data in requests_acting_for_emma(home)[name]:
        before = state(home.child)
        page = client.get(url)
        assert page.status_code == 200
        assert NOTICE not in page.content.decode()
        assert FORM_MARKERS.get(name, "") in page.content.decode()
        assert client.post(url, data).status_code == 302
        assert state(home.child) != before


def test_without_authority_the_father_still_reads_what_the_school_tells(client, home):
    released = pupil_result(home.child, test_name="Spelling", score=44)
    report = school_report(home.child, title="Rapport 1")
    client.force_login(home.father.user)
    for url in (
        reverse("mailings:index"),
        reverse("mailings:detail", args=[home.child_slip.pk]),
        reverse("agenda:index"),
        reverse("results:child", args=[home.child.pk]),
        reverse("absences:index"),
        reverse("lunch:index"),
        reverse("interviews:index"),
        reverse("portal:child", args=[home.child.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert "Spelling" in client.get(reverse("results:child", args=[home.child.pk])).content.decode()
    assert client.get(reverse("results:report", args=[report.pk])).status_code == 200
    assert client.get(reverse("interviews:download", args=[home.booking.pk])).status_code == 200
    assert released.released_at is not None


def test_the_child_page_shows_the_reason_instead_of_every_change_button(client, home):
    client.force_login(home.father.user)
    page = client.get(reverse("portal:child", args=[home.child.pk])).content.decode()
    assert NOTICE in page
    assert reverse("portal:child_edit", args=[home.child.pk, "adres"]) not in page
    assert reverse("portal:child_emergency_contacts", args=[home.child.pk]) not in page
    assert f"{reverse('absences:report')}?kind={home.child.pk}" not in page
    client.force_login(home.mother.user)
    page = client.get(reverse("portal:child", args=[home.child.pk])).content.decode()
    assert NOTICE not in page
    assert reverse("portal:child_edit", args=[home.child.pk, "toestemming"]) in page


def test_overviews_offer_the_father_no_buttons_for_emma(client, home):
    client.force_login(home.father.user)
    report = f'href="{reverse("absences:report")}"'
    assert report not in client.get(reverse("portal:dashboard")).content.decode()
    absences = client.get(reverse("absences:index")).content.decode()
    assert reverse("absences:end", args=[home.absence.pk]) not in absences
    assert NOTICE in absences
    lunch = client.get(reverse("lunch:index")).content.decode()
    assert reverse("lunch:cancel", args=[home.lunch_day.pk]) not in lunch
    assert NOTICE in lunch
    interviews = client.get(reverse("interviews:index")).content.decode()
    assert reverse("interviews:cancel", args=[home.booking.pk]) not in interviews
    assert NOTICE in interviews
    # The invitation's link leads the father to the overview, not to a refusal.
    invitation = reverse("interviews:round", args=[home.interview_round.pk])
    assert client.get(invitation).url == reverse("interviews:index")
    client.force_login(home.mother.user)
    assert report in client.get(reverse("portal:dashboard")).content.decode()
    assert "kind" in client.get(invitation).url


def test_authority_is_per_child(client, home):
    """Authority over his son from another relationship lets the father act for him, not for
    Emma, and the absence form offers only the son."""
    son = PupilFactory(first_name="Tim", last_name="Visser", group=home.child.group)
    Guardianship.objects.create(guardian=home.father, pupil=son)
    client.force_login(home.father.user)
    assert access.may_act_for(home.father.user, son)
    assert not access.may_act_for(home.father.user, home.child)
    assert list(access.children_with_authority(home.father.user)) == [son]
    form = client.get(reverse("absences:report")).content.decode()
    assert f'value="{son.pk}"' in form and f'value="{home.child.pk}"' not in form
    assert NOTICE in form
    response = client.post(
        reverse("absences:report"),
        {"pupil": str(son.pk), "reason": Reason.ILLNESS, "first_day": MONDAY.isoformat()},
    )
    assert response.status_code == 302
    assert AbsenceReport.objects.filter(pupil=son).exists()


def test_the_family_pages_cost_no_query_per_child(client, home):
    """The rule is read with the user's children (``Scope``): the family pages cost the same
    for one child as for three, with and without authority."""
    client.force_login(home.father.user)
    urls = [reverse("portal:children"), reverse("absences:index"), reverse("lunch:index")]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    counts()  # the session's first visit
    bump_version()  # every count below renders the pages, none is served from the cache
    one = counts()
    for name, authority in (("Tim", True), ("Sara", False)):
        sibling = PupilFactory(first_name=name, group=home.child.group)
        Guardianship.objects.create(
            guardian=home.father, pupil=sibling, has_parental_authority=authority
        )
    assert counts() == one


def test_a_link_code_never_gives_authority_the_school_did_not_record(home):
    """A code links with authority (the letter is for parents with authority), but a parent
    the school recorded without it keeps that when entering a code for the same child."""
    linking.redeem(home.father, linking.issue_code(home.child), Relation.FATHER)
    assert not Guardianship.objects.get(guardian=home.father).has_parental_authority
    stepfather = GuardianFactory(first_name="Kees", user=UserFactory())
    linking.redeem(stepfather, linking.issue_code(home.child), Relation.CARER)
    assert Guardianship.objects.get(guardian=stepfather, pupil=home.child).has_parental_authority


def test_a_refused_page_says_why_with_one_heading(client, home):
    client.force_login(home.father.user)
    page = client.get(reverse("absences:end", args=[home.absence.pk])).content.decode()
    assert page.count("<h1") == 1
    assert "Geen ouderlijk gezag" in page
    assert "U ontvangt wel de informatie van school over Emma" in page


def test_a_child_of_another_family_still_answers_404_not_the_reason(client, home):
    stranger = PupilFactory(first_name="Sem", group=home.child.group)
    parent_of(stranger)
    client.force_login(home.father.user)
    response = client.get(reverse("portal:child_edit", args=[stranger.pk, "adres"]))
    assert response.status_code == 404
    assert client.get(reverse("absences:report") + f"?kind={stranger.pk}").status_code == 404


def test_changing_authority_in_the_admin_is_read_at_once(client, home):
    client.force_login(home.father.user)
    url = reverse("portal:child_edit", args=[home.child.pk, "adres"])
    assert client.get(url).status_code == 403
    pair = Guardianship.objects.get(guardian=home.father)
    pair.has_parental_authority = True
    pair.save()
    assert client.get(url).status_code == 200


# --- The pupil import's "Gezag" column ---------------------------------------------------------


@pytest.fixture
def year():
    return SchoolYearFactory()


def test_the_import_reads_authority_per_parent_and_changes_it_only_when_the_file_says(year):
    headers = [*HEADERS, "Ouder 1 gezag", "Ouder 2 gezag"]
    rows = sample_rows(2)
    rows[0] += ["ja", "nee"]
    rows[1] += ["", ""]
    apply_plan(year.school, rows_of(rows, headers), None)

    def authority(number):
        pairs = Guardianship.objects.filter(pupil__pupil_number=number)
        return sorted(pairs.values_list("relation", "has_parental_authority"))

    assert authority("1000") == [("father", False), ("mother", True)]
    assert authority("1001") == [("father", True), ("mother", True)]  # not said: with
    rows[0][-1], rows[1][-2] = "", "Nee"  # an empty cell keeps the record; "Nee" changes it
    plan = make_plan(year.school, rows_of(rows, headers))
    assert [(pair.pupil.pupil_number, new) for pair, new in plan.authority_changes] == [
        ("1001", False)
    ]
    assert plan.has_changes
    apply_plan(year.school, rows_of(rows, headers), None)
    assert authority("1000") == [("father", False), ("mother", True)]
    assert authority("1001") == [("father", True), ("mother", False)]
    assert not make_plan(year.school, rows_of(rows, headers)).has_changes


def test_an_unknown_authority_value_is_a_bad_row(year):
    headers = [*HEADERS, "Ouder 1 gezag"]
    rows = [[*row, "misschien"] for row in sample_rows(1)]
    plan = make_plan(year.school, rows_of(rows, headers))
    assert plan.errors == [(2, "ouder 1: gezag 'misschien' is onbekend (ja of nee)")]


# --- Staff see it -------------------------------------------------------------------------------


def test_staff_see_who_has_no_authority_in_the_class_list_and_on_the_pupil(client, home):
    management = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    client.force_login(management.user)
    class_list = client.get(reverse("people_class_list", args=[home.child.group_id]))
    assert class_list.status_code == 200
    rows = class_list.content.decode()
    assert rows.count("zonder gezag") == 1
    assert rows.index("Peter") < rows.index("zonder gezag")
    inspect = client.get(f"/admin/snippets/people/pupil/inspect/{home.child.pk}/")
    assert inspect.status_code == 200
    assert "Peter Familie" in inspect.content.decode()
    assert "(vader, zonder gezag)" in inspect.content.decode()
    assert "(ouder)" in inspect.content.decode()  # Marieke: recorded as parent, with authority


def test_staff_record_authority_on_the_guardians_children(client, home):
    management = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    client.force_login(management.user)
    page = client.get(f"/admin/snippets/people/guardian/edit/{home.father.pk}/").content.decode()
    assert 'name="guardianships-0-has_parental_authority"' in page
    assert "Ouderlijk gezag" in page


def test_only_the_parents_with_authority_are_asked_and_reminded_to_answer(home):
    staff = StaffMemberFactory(school=home.child.school, role=StaffRole.MANAGEMENT)
    for slip in (home.child_slip, home.family_slip):
        units = reply_units(slip)
        assert [unit.guardians for unit in units] == [[home.mother]]
        remind_non_responders(slip, staff.user, units)
        reminded = OutboxMessage.objects.filter(
            kind="mailing-reminder", cause_id__in=[reminder.pk for reminder in slip.reminders.all()]
        )
        assert list(reminded.values_list("recipient_email", flat=True)) == [home.mother.email]
