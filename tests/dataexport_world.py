"""Two families in the same group, each with every kind of data the export holds.

The Verbeeks (Marieke and Joost, parents of Lotte) are the exporting family; the
Zwartendijks (Ilse, mother of Seppe) sit in the same group. Every text of the Zwartendijks
carries a marker no text of the Verbeeks does, so "nothing of theirs in the ZIP" is a
search for these words.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from schoolportal.absences.models import AbsenceReport, Reason
from schoolportal.consent.models import ConsentChange, ConsentChannel, ConsentUse
from schoolportal.conversations import sending
from schoolportal.interviews import rules as interview_rules
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.people.models import Babysitter, ClassParent, EmergencyContact
from schoolportal.reactions.models import PostFollower, Reaction
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    blog_post,
    group_page,
    parent_of,
    pupil_result,
    school_report,
    send_mailing,
)
from tests.walker_world import interview_round

# Everything of the other family (and of the co-parent's private side) a ZIP must not hold.
OTHER_FAMILY = (
    "Seppe",
    "Zwartendijk",
    "ilse.zwartendijk@example.org",
    "06-98765432",
    "Achterom",
    "Epilepsie",
    "Pindakaas",
    "Yara",
    "Sleutel onder mat",
    "Opa Gerrit",
    "Waterpokken",
    "Rekensommen",
    "Zorgen over de motoriek",
    "rapport-van-de-buren",
    "Ilse rijdt zelf",
    "Gesprek van Ilse",
    "Geheime bijlage",
    "buren-bijlage-inhoud",
    "Verstuurd door Ilse",
    "Ilse reageert ook",
)
CO_PARENTS_OWN = ("Alleen voor Joost", "joost-bijlage-inhoud", "Kim de oppas", "06-33333333")
PARENTS_OWN = ("Anouk de oppas", "06-11111111", "Alleen voor Marieke", "marieke-bijlage-inhoud")


@dataclass
class ExportWorld:
    parent: object
    co_parent: object
    other_parent: object
    child: object
    other_child: object
    teacher: object
    mailing: object


def family_data(child, parent, teacher, mailing, texts):
    """Every kind of data for ``child`` and its ``parent``, with the given ``texts``."""
    EmergencyContact.objects.create(pupil=child, name=texts["contact"], phone="030-2223344")
    ConsentChange.objects.create(
        pupil=child,
        use=ConsentUse.WEBSITE,
        old_value=None,
        new_value=True,
        changed_by=parent.user,
        changed_by_name=parent.full_name,
        channel=ConsentChannel.PORTAL,
    )
    AbsenceReport.objects.create(
        pupil=child,
        school=child.school,
        group=child.group,
        reason=Reason.OTHER,
        explanation=texts["absence"],
        first_day=date.today(),
    )
    LunchDay.objects.create(
        pupil=child, school=child.school, date=date.today() + timedelta(days=texts["lunch_in"])
    )
    school_report(child, title=texts["report"])
    pupil_result(child, test_name="Spelling", note=texts["result"])
    ReplySlipAnswer.objects.create(
        mailing=mailing,
        pupil=child,
        answers={mailing.reply_fields.get().clean_name: texts["answer"]},
        answered_by=parent.user,
    )
    upload = SimpleUploadedFile(texts["file"], texts["file_content"], "application/pdf")
    sending.start_conversation(
        school=child.school,
        subject=texts["conversation"],
        sender=teacher,
        recipients=[parent],
        body=texts["message"],
        files=[upload],
    )


def build_world():
    school = SchoolFactory(name="Basisschool Het Anker", lunch_enabled=True, results_enabled=True)
    group = GroupFactory(school_year__school=school)
    teacher = StaffMemberFactory(school=school, display_name="juf Anker")
    group.teachers.add(teacher)
    child = PupilFactory(
        first_name="Lotte", last_name="Verbeek", group=group, medical_notes="Astma van Lotte"
    )
    parent = parent_of(
        child,
        first_name="Marieke",
        last_name="Verbeek",
        user=UserFactory(email="marieke.verbeek@example.org"),
        phone="06-11111111",
    )
    co_parent = parent_of(
        child,
        first_name="Joost",
        last_name="Verbeek",
        user=UserFactory(email="joost.verbeek@example.org"),
        phone="06-33333333",
        mobile_phone="06-33333334",
    )
    other_child = PupilFactory(
        first_name="Seppe",
        last_name="Zwartendijk",
        group=group,
        street="Achterom",
        house_number="8",
        medical_notes="Epilepsie",
        allergies="Pindakaas",
    )
    other_parent = parent_of(
        other_child,
        first_name="Ilse",
        last_name="Zwartendijk",
        user=UserFactory(email="ilse.zwartendijk@example.org"),
        phone="06-98765432",
        mobile_phone="06-98765432",
        street="Achterom",
        address_hidden=False,
        phone_hidden=False,
        email_hidden=False,
    )
    Babysitter.objects.create(guardian=parent, name="Anouk de oppas", phone="06-11111111")
    Babysitter.objects.create(guardian=co_parent, name="Kim de oppas", phone="06-33333333")
    Babysitter.objects.create(
        guardian=other_parent, name="Yara", phone="06-22222222", notes="Sleutel onder mat"
    )
    mailing = send_mailing(
        [group], title="Schoolreisje", fields=[("Wie rijdt er mee?", "singleline", "", True)]
    )
    ClassParent.objects.create(group=group, guardian=other_parent)
    send_mailing(
        [group],
        title="Verstuurd door Ilse",
        sender="class_parents",
        created_by=other_parent.user,
    )
    family_data(
        child,
        parent,
        teacher,
        mailing,
        {
            "contact": "Oma Truus",
            "absence": "Bruiloft van oom",
            "lunch_in": 7,
            "report": "Rapport van Lotte",
            "result": "Goed gewerkt",
            "answer": "Marieke rijdt mee",
            "conversation": "Gesprek over Lotte",
            "message": "Alleen voor Marieke",
            "file": "verslag-lotte.pdf",
            "file_content": b"%PDF-1.4 marieke-bijlage-inhoud",
        },
    )
    family_data(
        other_child,
        other_parent,
        teacher,
        mailing,
        {
            "contact": "Opa Gerrit",
            "absence": "Waterpokken",
            "lunch_in": 8,
            "report": "rapport-van-de-buren",
            "result": "Zorgen over de motoriek",
            "answer": "Ilse rijdt zelf",
            "conversation": "Gesprek van Ilse",
            "message": "Rekensommen oefenen",
            "file": "Geheime bijlage.pdf",
            "file_content": b"%PDF-1.4 buren-bijlage-inhoud",
        },
    )
    # The co-parent's own conversation with the teacher: not Marieke's.
    sending.start_conversation(
        school=school,
        subject="Vraag van Joost",
        sender=teacher,
        recipients=[co_parent],
        body="Alleen voor Joost",
        files=[SimpleUploadedFile("joost.pdf", b"%PDF-1.4 joost-bijlage-inhoud")],
    )
    # Interviews: each child booked, the Verbeeks on "Lezen", the neighbours on "Rekensommen".
    round_ = interview_round("Anker", school, group, teacher)
    first, second, _free = round_.slots.order_by("starts_at")
    interview_rules.book(child, first, subject="Lezen", guardian=parent)
    interview_rules.book(other_child, second, subject="Rekensommen", guardian=other_parent)
    # Reacties: both mothers under the same post; Marieke follows it.
    post = blog_post(group_page(group), title="Uitje naar de kinderboerderij")
    for guardian, text in ((parent, "Wat een mooie foto's"), (other_parent, "Ilse reageert ook")):
        Reaction.objects.create(
            post=post, author=guardian.user, author_name=guardian.full_name, text=text
        )
    PostFollower.objects.create(post=post, user=parent.user)
    return ExportWorld(
        parent=parent,
        co_parent=co_parent,
        other_parent=other_parent,
        child=child,
        other_child=other_child,
        teacher=teacher,
        mailing=mailing,
    )
