"""Berichten in the admin (issue 15, staff side): a staff member's own conversations, private
to their parties.

Juf Bakker reads and answers what parents of her group write, starts conversations with one
parent, several, her whole group or colleagues; management writes to any group of the
school. Nobody else reads a conversation: not a colleague, not management, not a superuser,
and no listing, register or search of the admin names its subject.
"""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site
from wagtail.snippets.models import get_snippet_models

from schoolportal import access
from schoolportal.conversations import sending
from schoolportal.conversations.models import Conversation, Message, Participant
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
    school_home,
)
from tests.test_admin_screens import back_link, breadcrumbs
from tests.test_admin_wording import forbidden_words

# The session is a query without Redis (Django's db engine), none with it (cached_db).
SESSION_QUERIES = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1

pytestmark = pytest.mark.django_db

INDEX = reverse("conversations_admin:index")
NEW = reverse("conversations_admin:new")
SUBJECT = "Noah zijn gymschoenen"


def conversation_url(conversation, view="conversation"):
    return reverse(f"conversations_admin:{view}", args=[conversation.pk])


def attachment_url(attachment):
    return reverse("conversations_admin:attachment", args=[attachment.pk])


def pdf(name="briefje.pdf", content=b"%PDF-1.4 briefje"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def world():
    """Basisschool Het Anker: juf Bakker's group 3a (Noah Blom, whose parents are Marieke and
    Wouter; Sem de Vries, whose mother Ilse also has Lotte in meester Bas's group 5 with
    Thijs), the school's management; De Linde, another school with its own teacher and
    parent. Marieke has written to juf Bakker, with a file; juf Bakker has not read it."""
    school = SchoolFactory(name="Basisschool Het Anker")
    Site.objects.create(hostname="testserver", port=80, root_page=school_home(school))
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 5")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    colleague = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(colleague)
    noah = PupilFactory(group=group, first_name="Noah", last_name="Blom")
    sem = PupilFactory(group=group, first_name="Sem", last_name="de Vries")
    lotte = PupilFactory(group=other_group, first_name="Lotte", last_name="de Vries")
    mother = parent_of(noah, first_name="Marieke", last_name="Blom")
    father = parent_of(noah, first_name="Wouter", last_name="Blom")
    ilse = parent_of(sem, lotte, first_name="Ilse", last_name="de Vries")
    thijs = parent_of(lotte, first_name="Thijs", last_name="Mulder")
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    far_pupil = PupilFactory(group=GroupFactory(school_year__school=elsewhere))
    conversation = sending.start_conversation(
        school=school,
        subject=SUBJECT,
        sender=mother,
        recipients=[teacher],
        body="Noah is zijn gymschoenen kwijt. Heeft u ze gezien?",
        files=[pdf()],
    ).conversation
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        teacher=teacher,
        colleague=colleague,
        manager=StaffMemberFactory(
            school=school, role=StaffRole.MANAGEMENT, display_name="directeur Smit"
        ),
        noah=noah,
        mother=mother,
        father=father,
        ilse=ilse,
        thijs=thijs,
        elsewhere=elsewhere,
        far_teacher=StaffMemberFactory(school=elsewhere, display_name="juf Verweg"),
        far_parent=parent_of(far_pupil, first_name="Karin", last_name="Verweg"),
        conversation=conversation,
        attachment=conversation.messages.get().attachments.get(),
    )


def logged_in(client, person):
    client.force_login(person.user)
    return client


def participants(conversation):
    return {str(row) for row in Participant.objects.filter(conversation=conversation)}


def sidebar_labels(html):
    """The main menu's labels (the sidebar is drawn from JSON in the page)."""
    return re.findall(r'"label": "([^"]*)"', html.replace("&quot;", '"'))


# --- The menu item and its count -----------------------------------------------------------


def test_the_menu_says_how_many_conversations_have_an_unread_message(client, world):
    html = logged_in(client, world.teacher).get(reverse("wagtailadmin_home")).content.decode()

    assert "Berichten (1)" in sidebar_labels(html)


def test_the_count_goes_when_the_conversation_is_read(client, world):
    client = logged_in(client, world.teacher)

    client.get(conversation_url(world.conversation))
    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "Berichten" in sidebar_labels(html)
    assert "Berichten (1)" not in sidebar_labels(html)
    assert access.unread_staff_conversation_count(world.teacher.user) == 0


def test_a_new_message_in_a_read_conversation_counts_again(client, world):
    client = logged_in(client, world.teacher)
    client.get(conversation_url(world.conversation))
    sender = Participant.objects.get(conversation=world.conversation, guardian=world.mother)

    sending.send_message(world.conversation, sender, "Gevonden, dank u!")

    assert access.unread_staff_conversation_count(world.teacher.user) == 1


def test_a_superuser_who_works_at_no_school_has_no_berichten(client, world):
    superuser = UserFactory(is_superuser=True)
    client.force_login(superuser)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert not [label for label in sidebar_labels(html) if label.startswith("Berichten")]
    assert client.get(INDEX).status_code == 404
    assert client.get(NEW).status_code == 404


# --- The list and the thread ---------------------------------------------------------------


def test_the_list_shows_her_conversations_newest_first_with_unread_marked(client, world):
    later = sending.start_conversation(
        school=world.school,
        subject="Studiedag",
        sender=world.teacher,
        recipients=[world.colleague],
        body="Wie neemt de koffie mee?",
    ).conversation

    html = logged_in(client, world.teacher).get(INDEX).content.decode()

    assert html.index("Studiedag") < html.index(SUBJECT)
    unread = re.findall(r'schoolportal-conversation--unread">\s*<a href="([^"]+)"', html)
    assert unread == [conversation_url(world.conversation)]  # her own message is read
    assert "Met Marieke Blom" in html
    assert f'href="{conversation_url(later)}"' in html


def test_the_list_shows_no_conversation_she_is_not_in(client, world):
    sending.start_conversation(
        school=world.school,
        subject="Lotte haar zwemdiploma",
        sender=world.ilse,
        recipients=[world.colleague],
        body="Lotte heeft haar A-diploma!",
    )

    html = logged_in(client, world.teacher).get(INDEX).content.decode()

    assert SUBJECT in html
    assert "zwemdiploma" not in html


def test_the_thread_shows_every_message_and_marks_it_read(client, world):
    teacher_row = Participant.objects.get(
        conversation=world.conversation, staff_member=world.teacher
    )

    html = logged_in(client, world.teacher).get(conversation_url(world.conversation))
    html = html.content.decode()

    teacher_row.refresh_from_db()
    assert teacher_row.last_read_at is not None
    assert "Noah is zijn gymschoenen kwijt." in html
    assert "schoolportal-message--new" in html  # what was new when she opened it
    assert f'href="{attachment_url(world.attachment)}"' in html
    assert "In dit gesprek:" in html and "Marieke Blom" in html


def test_the_thread_says_what_it_is_and_leads_back_to_the_list(client, world):
    html = logged_in(client, world.teacher).get(conversation_url(world.conversation))
    html = html.content.decode()

    assert breadcrumbs(html) == ["Start", "Berichten", f"Gesprek: {SUBJECT}"]
    assert back_link(html) == (INDEX, "Terug naar alle berichten")


def test_a_participant_downloads_the_file(client, world):
    response = logged_in(client, world.teacher).get(attachment_url(world.attachment))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 briefje"


# --- Private to its parties: 404 for everybody else ------------------------------------------


@pytest.fixture(params=["colleague", "manager", "far_teacher", "superuser", "superuser_manager"])
def outsider(request, world):
    """Somebody who works at a school (or runs the installation) and is not in it."""
    if request.param == "superuser":
        return UserFactory(is_superuser=True)
    if request.param == "superuser_manager":
        world.manager.user.is_superuser = True
        world.manager.user.save()
        return world.manager.user
    return getattr(world, request.param).user


def test_nobody_else_opens_the_conversation_or_its_file(client, world, outsider):
    client.force_login(outsider)
    urls = [
        conversation_url(world.conversation),
        conversation_url(world.conversation, "add_guardians"),
        attachment_url(world.attachment),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert SUBJECT not in client.get(INDEX).content.decode()


def test_nobody_else_replies_or_adds_a_parent(client, world, outsider):
    client.force_login(outsider)

    reply = client.post(conversation_url(world.conversation), {"body": "Ik lees mee."})
    add = client.post(
        conversation_url(world.conversation, "add_guardians"), {"guardian_ids": [world.father.pk]}
    )

    assert (reply.status_code, add.status_code) == (404, 404)
    assert world.conversation.messages.count() == 1
    assert "Wouter Blom" not in participants(world.conversation)


def test_a_parent_who_takes_part_does_not_read_it_in_the_admin(client, world):
    client.force_login(world.mother.user)

    assert client.get(conversation_url(world.conversation)).status_code in (302, 403, 404)
    assert client.get(attachment_url(world.attachment)).status_code in (302, 403, 404)


def test_conversations_are_no_snippet_or_register_anybody_could_list(world):
    assert Conversation not in get_snippet_models()
    assert Message not in get_snippet_models()
    assert not [name for name in dir(Conversation) if name == "snippet_viewset"]


def echo_removed(html, word="gymschoenen"):
    """A page without the places it repeats what was searched for (the box, its links)."""
    return re.sub(rf'value="{word}"|q={word}|<em>{word}</em>|&quot;{word}&quot;', "", html)


def test_the_e_mail_register_names_no_subject_of_a_conversation(client, world):
    rows = OutboxMessage.objects.filter(kind=sending.KIND)
    assert rows.exists()
    register = reverse("notifications_outboxmessage_modeladmin_index")
    superuser = UserFactory(is_superuser=True)

    client.force_login(world.manager.user)
    as_manager = client.get(register, {"q": "gymschoenen"}).content.decode()
    everything = client.get(register).content.decode()
    client.force_login(superuser)
    as_superuser = client.get(register).content.decode()
    searched = client.get(register, {"q": "gymschoenen"}).content.decode()

    assert "gymschoenen" not in echo_removed(as_manager + everything + as_superuser)
    assert world.teacher.email not in everything  # management sees no conversation's e-mail
    assert world.teacher.email in as_superuser  # the row is there, as "bericht", no subject
    assert re.search(r"<td[^>]*>\s*bericht\s*</td>", as_superuser)
    assert world.teacher.email not in searched


def test_the_admin_search_finds_no_conversation(client, world):
    client.force_login(world.teacher.user)

    html = client.get(reverse("wagtailadmin_pages:search"), {"q": "gymschoenen"}).content.decode()

    assert "gymschoenen" not in echo_removed(html)


# --- Replying --------------------------------------------------------------------------------


def test_she_replies_with_a_file_and_the_parent_gets_one_e_mail(client, world):
    response = logged_in(client, world.teacher).post(
        conversation_url(world.conversation),
        {"body": "Ze staan in de gymzaal.", "attachments": [pdf("plattegrond.pdf")]},
    )

    assert response.status_code == 302
    reply = world.conversation.messages.latest("sent_at")
    assert reply.sender.staff_member == world.teacher
    assert [file.name for file in reply.attachments.all()] == ["plattegrond.pdf"]
    to = OutboxMessage.objects.filter(kind=sending.KIND, cause_id=reply.pk)
    assert list(to.values_list("recipient_email", flat=True)) == [world.mother.email]


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("script.html", b"<script>"), "Bestanden van het type .html"),
        (SimpleUploadedFile("groot.pdf", b"%PDF" + b"x" * 2000), "te groot"),
    ],
)
def test_a_refused_file_is_explained_and_the_text_kept(client, world, settings, upload, error):
    settings.MAILING_ATTACHMENT_MAX_SIZE = 1000

    response = logged_in(client, world.teacher).post(
        conversation_url(world.conversation),
        {"body": "Zie de bijlage.", "attachments": [upload]},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    assert "Zie de bijlage." in html
    assert world.conversation.messages.count() == 1


def test_an_empty_reply_is_refused_in_dutch(client, world):
    response = logged_in(client, world.teacher).post(
        conversation_url(world.conversation), {"body": "   "}
    )

    assert response.status_code == 400
    assert world.conversation.messages.count() == 1


# --- Adding the other parent of a child ----------------------------------------------------


def test_she_adds_the_childs_other_parent_who_then_reads_along(client, world):
    client = logged_in(client, world.teacher)

    page = client.get(conversation_url(world.conversation)).content.decode()
    response = client.post(
        conversation_url(world.conversation, "add_guardians"), {"guardian_ids": [world.father.pk]}
    )

    assert f'name="guardian_ids" value="{world.father.pk}"' in page
    assert f'value="{world.ilse.pk}"' not in page  # another family is never offered
    assert response.status_code == 302
    assert "Wouter Blom" in participants(world.conversation)
    assert access.conversations_for(world.father.user).filter(pk=world.conversation.pk).exists()


def test_another_family_cannot_be_added_to_the_conversation(client, world):
    response = logged_in(client, world.teacher).post(
        conversation_url(world.conversation, "add_guardians"),
        {"guardian_ids": [world.ilse.pk, world.far_parent.pk]},
    )

    assert response.status_code == 302
    assert participants(world.conversation) == {"Marieke Blom", "juf Bakker"}


# --- A new message ---------------------------------------------------------------------------


def compose(client, **fields):
    data = {"subject": "Schoolreis", "body": "Denkt u aan de lunch?", **fields}
    return client.post(NEW, data)


def conversations_about(subject="Schoolreis"):
    return Conversation.objects.filter(subject=subject).order_by("pk")


def test_she_writes_to_one_parent(client, world):
    response = compose(logged_in(client, world.teacher), guardian_ids=[world.mother.pk])

    (conversation,) = conversations_about()
    assert response["Location"] == conversation_url(conversation)
    assert participants(conversation) == {"juf Bakker", "Marieke Blom"}
    assert conversation.school == world.school


def test_a_message_to_her_whole_group_is_one_conversation_per_family(client, world):
    compose(logged_in(client, world.teacher), group_ids=[world.group.pk])

    # Sem's mother Ilse alone; Noah's parents together.
    assert sorted(sorted(participants(c)) for c in conversations_about()) == [
        ["Ilse de Vries", "juf Bakker"],
        ["Marieke Blom", "Wouter Blom", "juf Bakker"],
    ]
    assert (
        OutboxMessage.objects.filter(
            kind=sending.KIND,
            cause_id__in=Message.objects.filter(conversation__subject="Schoolreis"),
        ).count()
        == 3
    )


def test_several_parents_never_share_one_conversation(client, world):
    compose(
        logged_in(client, world.manager),
        guardian_ids=[world.mother.pk, world.ilse.pk, world.thijs.pk],
    )

    # Ilse and Thijs are both Lotte's parents; Marieke is another family.
    assert sorted(sorted(participants(c)) for c in conversations_about()) == [
        ["Ilse de Vries", "Thijs Mulder", "directeur Smit"],
        ["Marieke Blom", "directeur Smit"],
    ]


def test_the_files_go_with_every_conversation(client, world):
    compose(
        logged_in(client, world.teacher),
        guardian_ids=[world.mother.pk, world.ilse.pk],
        attachments=[pdf("rooster.pdf", b"%PDF-1.4 rooster")],
    )

    for conversation in conversations_about():
        file = conversation.messages.get().attachments.get()
        assert file.file.read() == b"%PDF-1.4 rooster"


def test_she_writes_to_colleagues_in_one_conversation(client, world):
    compose(logged_in(client, world.teacher), colleague_ids=[world.colleague.pk, world.manager.pk])

    (conversation,) = conversations_about()
    assert participants(conversation) == {"juf Bakker", "meester Bas", "directeur Smit"}


def test_parents_and_a_colleague_each_family_with_the_colleague(client, world):
    compose(
        logged_in(client, world.teacher),
        guardian_ids=[world.mother.pk, world.ilse.pk],
        colleague_ids=[world.colleague.pk],
    )

    assert all("meester Bas" in participants(c) for c in conversations_about())
    assert len(conversations_about()) == 2


@pytest.mark.parametrize(
    ("field", "whom"),
    [
        ("guardian_ids", "thijs"),  # a parent of group 5, which she does not teach
        ("guardian_ids", "far_parent"),  # another school's parent
        ("group_ids", "other_group"),
        ("colleague_ids", "far_teacher"),
        ("guardian_ids", None),  # an id nobody has
    ],
)
def test_whom_she_may_not_write_to_is_refused_and_the_text_kept(client, world, field, whom):
    pk = getattr(world, whom).pk if whom else 987654321

    response = compose(logged_in(client, world.teacher), **{field: [pk]})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Deze ontvanger kunt u hier niet kiezen" in html
    assert "Denkt u aan de lunch?" in html and 'value="Schoolreis"' in html
    assert not conversations_about().exists()


def test_a_message_to_nobody_asks_for_a_recipient(client, world):
    response = compose(logged_in(client, world.teacher))

    assert response.status_code == 400
    assert "Kies ten minste één ontvanger." in response.content.decode()


def test_management_writes_to_any_group_of_the_school(client, world):
    html = logged_in(client, world.manager).get(NEW).content.decode()
    compose(client, group_ids=[world.other_group.pk])

    assert f'name="group_ids" value="{world.other_group.pk}"' in html
    assert sorted(sorted(participants(c)) for c in conversations_about()) == [
        ["Ilse de Vries", "Thijs Mulder", "directeur Smit"]
    ]


def test_the_form_offers_her_groups_parents_and_colleagues_only(client, world):
    html = logged_in(client, world.teacher).get(NEW).content.decode()

    assert "Marieke Blom (ouder van Noah)" in html
    assert "Thijs Mulder" not in html
    assert "Karin Verweg" not in html
    assert "meester Bas – leerkracht Groep 5" in html
    assert "juf Verweg" not in html
    assert f'name="group_ids" value="{world.other_group.pk}"' not in html
    offered = html.split("schoolportal-recipients", 1)[1].split('name="subject"', 1)[0]
    assert "@" not in re.sub(r"<[^>]+>", "", offered)  # names, never addresses


# --- Plain Dutch, a fixed number of queries -------------------------------------------------


@pytest.mark.parametrize("who", ["teacher", "manager"])
def test_the_berichten_screens_show_no_english_and_no_raw_values(client, world, who):
    person = getattr(world, who)
    sending.start_conversation(
        school=world.school,
        subject="Overleg",
        sender=world.teacher if who == "manager" else world.manager,
        recipients=[person],
        body="Even overleggen.",
    )
    client = logged_in(client, person)
    conversation = access.staff_conversations(person.user).latest("last_message_at")
    found = {}
    for url in (INDEX, NEW, conversation_url(conversation)):
        response = client.get(url)
        assert response.status_code == 200, url
        if words := forbidden_words(response.content.decode()):
            found[url] = words

    assert not found


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_messages(world, conversation, number):
    mother = Participant.objects.get(conversation=conversation, guardian=world.mother)
    teacher = Participant.objects.get(conversation=conversation, staff_member=world.teacher)
    for index in range(number):
        sender = mother if index % 2 else teacher
        sending.send_message(conversation, sender, f"Bericht {index}", [pdf(f"b{index}.pdf")])


def test_the_list_costs_the_same_queries_however_many_conversations(client, world):
    client = logged_in(client, world.teacher)
    count_queries(client, INDEX)  # Wagtail's first-request bookkeeping out of the way
    few = count_queries(client, INDEX)
    for index in range(12):
        sending.start_conversation(
            school=world.school,
            subject=f"Vraag {index}",
            sender=world.mother if index % 2 else world.father,
            recipients=[world.teacher, world.manager],
            body="Een vraag.",
        )
    add_messages(world, world.conversation, 10)

    many = count_queries(client, INDEX)

    # Three of them are the menu's: whether the user's schools use absences, lunch and
    # oudergesprekken; one is the session, a query only without Redis (with it, cached_db
    # reads it from there).
    assert few == many == 16 + SESSION_QUERIES


def test_a_thread_costs_the_same_queries_however_many_messages(client, world):
    client = logged_in(client, world.teacher)
    url = conversation_url(world.conversation)
    count_queries(client, url)
    few = count_queries(client, url)
    add_messages(world, world.conversation, 20)

    many = count_queries(client, url)

    assert few == many == 19 + SESSION_QUERIES  # three are the menu's, as in the list


def test_a_second_school_of_hers_is_chosen_before_writing(client, world):
    second = StaffMemberFactory(
        school=world.elsewhere, user=world.teacher.user, display_name="juf Bakker"
    )
    client = logged_in(client, world.teacher)

    html = client.get(NEW, {"school": world.elsewhere.pk}).content.decode()
    response = compose(client, school=world.elsewhere.pk, colleague_ids=[world.far_teacher.pk])

    assert 'name="school"' in html and "Basisschool De Linde" in html
    (conversation,) = conversations_about()
    assert conversation.school == world.elsewhere
    assert response.status_code == 302
    assert participants(conversation) == {"juf Bakker", "juf Verweg"}
    assert Participant.objects.filter(conversation=conversation, staff_member=second).exists()


def test_a_link_to_write_to_a_parent_ticks_them_and_nobody_it_may_not(client, world):
    client = logged_in(client, world.teacher)

    html = client.get(NEW, {"ouder": [world.mother.pk, world.thijs.pk]}).content.decode()

    assert f'name="guardian_ids" value="{world.mother.pk}" checked' in html
    assert f'value="{world.thijs.pk}"' not in html
    assert "<details open>" in html


def test_the_parent_list_offers_management_to_write_to_a_parent(client, world):
    html = logged_in(client, world.manager).get(
        reverse(type(world.mother).snippet_viewset.get_url_name("list"))
    )

    assert f'href="{NEW}?ouder={world.mother.pk}"' in html.content.decode()


def test_a_parent_with_children_in_two_groups_gets_the_message_once(client, world):
    compose(logged_in(client, world.manager), group_ids=[world.group.pk, world.other_group.pk])

    # Ilse is Sem's parent (group 3a) and, with Thijs, Lotte's (group 5): one conversation.
    assert sorted(sorted(participants(c)) for c in conversations_about()) == [
        ["Ilse de Vries", "Thijs Mulder", "directeur Smit"],
        ["Marieke Blom", "Wouter Blom", "directeur Smit"],
    ]
    emails = OutboxMessage.objects.filter(
        kind=sending.KIND, cause_id__in=Message.objects.filter(conversation__subject="Schoolreis")
    )
    assert sorted(emails.values_list("recipient_email", flat=True)) == sorted(
        guardian.email for guardian in (world.mother, world.father, world.ilse, world.thijs)
    )


def test_a_new_message_says_what_it_is_and_leads_back_to_the_list(client, world):
    html = logged_in(client, world.teacher).get(NEW).content.decode()

    assert breadcrumbs(html) == ["Start", "Berichten", "Nieuw bericht"]
    assert back_link(html) == (INDEX, "Terug naar Berichten")
    assert '<form method="post" enctype="multipart/form-data" novalidate>' in html


def test_her_class_list_offers_to_write_to_each_parent(client, world):
    client = logged_in(client, world.teacher)

    own = client.get(reverse("people_class_list", args=[world.group.pk])).content.decode()
    other = client.get(reverse("people_class_list", args=[world.other_group.pk])).content
    html = client.get(f"{NEW}?ouder={world.mother.pk}").content.decode()

    assert f'href="{NEW}?ouder={world.mother.pk}"' in own
    assert b"Bericht sturen" not in other  # group 5's parents are meester Bas's to write to
    assert f'name="guardian_ids" value="{world.mother.pk}" checked' in html


def test_a_teacher_whose_child_is_in_her_group_is_not_offered_herself(client, world):
    pupil = PupilFactory(group=world.group, first_name="Daan", last_name="Bakker")
    parent_of(pupil, first_name="Els", last_name="Bakker", user=world.teacher.user)

    html = logged_in(client, world.teacher).get(NEW).content.decode()
    response = compose(client, guardian_ids=[world.teacher.user.guardian.pk])

    assert "Els Bakker" not in html
    assert response.status_code == 400


def test_the_installations_history_names_no_conversation(client, world):
    """Sending writes no log entry: Wagtail's site history (superusers') has nothing of it."""
    client.force_login(UserFactory(is_superuser=True))
    sending.send_message(
        world.conversation,
        Participant.objects.get(conversation=world.conversation, staff_member=world.teacher),
        "Ze liggen in de gymzaal.",
    )

    for report in ("site_history", "site_history_results"):
        response = client.get(reverse(f"wagtailadmin_reports:{report}"))
        assert response.status_code == 200
        assert "gymschoenen" not in response.content.decode()
        assert "gymzaal" not in response.content.decode()
