"""Issue #22, "Mailings", "Custom screens" and "Phone": what staff do in the admin's own
screens, in few clicks.

A new mailing starts with the teacher's group ticked, and its first publication asks
"N e-mails aan ... versturen?" before anything is sent; the reply-slip builder asks for a
question and its answers. Delivery, answers, class lists, invitations and link codes say
what they are and lead back to the mailing, group or pupil; lists and choosers find a
child by the name a teacher types.
"""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from pages.models import GroupPage
from schoolportal.agenda.models import AgendaItem
from schoolportal.mailings.models import Audience, Mailing, ReplySlipField, Sender
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian, Pupil, StaffRole
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    draft_mailing,
    parent_of,
    school_home,
    send_mailing,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Basisschool Het Anker: juf Bakker's group 3a (Noah Blom, whose two parents have an
    address each, and Noah Jansen, whose parent also has Sara in group 5) and meester Bas's
    group 5; the school's management; a second school."""
    school = SchoolFactory(name="Basisschool Het Anker")
    Site.objects.create(hostname="testserver", port=80, root_page=school_home(school))
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 5")
    teacher = StaffMemberFactory(school=school, display_name="juf Bakker")
    colleague = StaffMemberFactory(school=school, display_name="meester Bas")
    group.teachers.add(teacher)
    other_group.teachers.add(colleague)
    noah = PupilFactory(group=group, first_name="Noah", last_name="Blom")
    other_noah = PupilFactory(group=group, first_name="Noah", last_name="Jansen")
    sara = PupilFactory(group=other_group, first_name="Sara", last_name="Jansen")
    mother = parent_of(noah, first_name="Marieke", last_name="Blom")
    parent_of(noah, first_name="Wouter", last_name="Blom")
    parent_of(other_noah, sara, first_name="Ilse", last_name="Jansen")
    elsewhere = SchoolFactory(name="Basisschool De Linde")
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        teacher=teacher,
        colleague=colleague,
        manager=StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
        noah=noah,
        other_noah=other_noah,
        mother=mother,
        elsewhere=elsewhere,
        far_teacher=StaffMemberFactory(school=elsewhere),
    )


def snippet(model, view, *args):
    return reverse(model.snippet_viewset.get_url_name(view), args=args)


ADD = snippet(Mailing, "add")


def send_url(mailing):
    return snippet(Mailing, "send", mailing.pk)


def checkbox(html, name, value):
    for tag in re.findall(r"<input[^>]*>", html):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return tag
    raise AssertionError(f"no checkbox {name}={value}")


def mailing_form(
    groups=(), audience=Audience.GROUPS, sender=Sender.TEACHER, questions=(), **fields
):
    """What the admin's mailing form posts for staff of one school (no school field)."""
    return {
        "title": "Schoolreis",
        "body": rich_text("<p>We gaan naar de kinderboerderij.</p>"),
        "sender": sender,
        "audience": audience,
        "groups": [group.pk for group in groups],
        "reply_per": "family",
        "reply_deadline": "",
        "go_live_at": "",
        "expire_at": "",
        **nested_form_data(
            {
                "attachments": inline_formset([]),
                "reply_fields": inline_formset(
                    [
                        {"id": "", "help_text": "", **question, "required": "on"}
                        for question in questions
                    ]
                ),
            }
        ),
        **fields,
    }


PUBLISH = {"action-publish": "action-publish"}


def outbox_count(mailing):
    return OutboxMessage.objects.filter(cause_id=mailing.pk, kind="mailing").count()


# --- A new mailing: the teacher's own group ------------------------------------------------------


def test_a_teachers_new_mailing_has_her_own_group_ticked(client, world):
    client.force_login(world.teacher.user)

    html = client.get(ADD).content.decode()

    assert "checked" in checkbox(html, "groups", world.group.pk)


def test_managements_new_mailing_has_no_group_ticked(client, world):
    client.force_login(world.manager.user)

    html = client.get(ADD).content.decode()

    assert "checked" not in checkbox(html, "groups", world.group.pk)
    assert "checked" not in checkbox(html, "groups", world.other_group.pk)


# --- Publishing asks first ---------------------------------------------------------------------


def test_publishing_a_new_mailing_asks_first_and_sends_nothing_yet(client, world):
    client.force_login(world.manager.user)

    response = client.post(ADD, {**mailing_form(audience=Audience.SCHOOL), **PUBLISH})

    mailing = Mailing.objects.get(title="Schoolreis")
    assert response.status_code == 302
    assert response["Location"] == send_url(mailing)
    assert not mailing.live
    assert mailing.sent_at is None
    assert outbox_count(mailing) == 0


def test_the_question_counts_one_e_mail_per_address_of_the_whole_school(client, world):
    mailing = draft_mailing(school=world.school, title="Schoolreis")  # the whole school
    client.force_login(world.manager.user)

    response = client.get(send_url(mailing))

    html = response.content.decode()
    # Marieke and Wouter Blom, and Ilse Jansen once for her two children.
    assert "3 e-mails aan de hele school versturen?" in html
    assert f'name="revision" value="{mailing.latest_revision_id}"' in html
    assert '<form method="post">' in html  # a plain form: it asks without JavaScript too


def test_the_question_names_the_groups_a_mailing_is_for(client, world):
    mailing = draft_mailing([world.group], title="Schoolreis")
    client.force_login(world.teacher.user)

    html = client.get(send_url(mailing)).content.decode()

    assert "3 e-mails aan Groep 3a versturen?" in html


def test_yes_publishes_and_sends_that_many_e_mails(client, world, committed):
    mailing = draft_mailing([world.group], title="Schoolreis")
    client.force_login(world.teacher.user)

    with committed():
        response = client.post(send_url(mailing), {"revision": mailing.latest_revision_id})

    mailing.refresh_from_db()
    assert response["Location"] == snippet(Mailing, "delivery", mailing.pk)
    assert mailing.live and mailing.sent_at is not None
    assert outbox_count(mailing) == 3


def test_a_mailing_changed_since_it_was_counted_is_counted_again(client, world):
    mailing = draft_mailing([world.group], title="Schoolreis")
    counted = mailing.latest_revision_id
    mailing.audience = Audience.SCHOOL
    mailing.save_revision()
    client.force_login(world.manager.user)

    response = client.post(send_url(mailing), {"revision": counted})

    mailing.refresh_from_db()
    assert response["Location"] == send_url(mailing)
    assert not mailing.live and mailing.sent_at is None
    assert outbox_count(mailing) == 0


def test_a_second_yes_sends_nothing_more(client, world, committed):
    mailing = draft_mailing([world.group], title="Schoolreis")
    client.force_login(world.teacher.user)
    confirm = {"revision": mailing.latest_revision_id}

    with committed():
        client.post(send_url(mailing), confirm)
        again = client.post(send_url(mailing), confirm)

    assert again["Location"] == snippet(Mailing, "delivery", mailing.pk)
    assert outbox_count(mailing) == 3


def test_a_correction_to_a_sent_mailing_is_published_without_asking(client, world):
    mailing = send_mailing([world.group], title="Schoolreis")
    client.force_login(world.teacher.user)

    response = client.post(
        snippet(Mailing, "edit", mailing.pk),
        {**mailing_form([world.group], title="Schoolreis (nieuwe tijd)"), **PUBLISH},
    )

    mailing.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] != send_url(mailing)
    assert mailing.title == "Schoolreis (nieuwe tijd)"
    assert outbox_count(mailing) == 3  # the first publication's, no more


def test_a_scheduled_mailing_says_when_and_sends_then(client, world):
    later = timezone.now() + timedelta(days=2)
    mailing = draft_mailing([world.group], title="Schoolreis", go_live_at=later)
    client.force_login(world.teacher.user)

    html = client.get(send_url(mailing)).content.decode()
    response = client.post(send_url(mailing), {"revision": mailing.latest_revision_id})

    mailing.refresh_from_db()
    assert "e-mails op " in html and "Ja, inplannen" in html
    assert response["Location"] == snippet(Mailing, "list")
    assert not mailing.live and outbox_count(mailing) == 0


@pytest.mark.parametrize("who", ["colleague", "far_teacher"])
def test_only_who_may_change_a_mailing_sends_it(client, world, who):
    mailing = draft_mailing([world.group], title="Schoolreis")
    client.force_login(getattr(world, who).user)

    assert client.get(send_url(mailing)).status_code == 404
    assert (
        client.post(send_url(mailing), {"revision": mailing.latest_revision_id}).status_code == 404
    )
    assert outbox_count(mailing) == 0


# --- The reply-slip builder --------------------------------------------------------------------


def test_the_reply_slip_builder_asks_a_question_and_its_answers(client, world):
    client.force_login(world.teacher.user)

    html = client.get(ADD).content.decode()

    assert "Vraag" in html
    assert "Antwoordmogelijkheden, één per regel" in html
    assert "default_value" not in html
    assert "Vervaldatum" in html
    assert "staat de mailing niet meer in het ouderportaal" in html  # what the date does
    kinds = re.search(
        r'<select name="reply_fields-__prefix__-field_type"[^>]*>(.*?)</select>', html, re.S
    )
    assert kinds is not None
    assert 'value=""' not in kinds.group(1)  # no "---------"


def test_a_slip_with_two_questions_is_saved(client, world):
    client.force_login(world.teacher.user)
    questions = [
        {"label": "Gaat uw kind mee?", "field_type": "radio", "choices": "Ja\nNee"},
        {"label": "Wie rijdt er mee?", "field_type": "singleline", "choices": ""},
    ]

    response = client.post(ADD, mailing_form([world.group], questions=questions))

    assert response.status_code == 302
    fields = ReplySlipField.objects.filter(mailing__title="Schoolreis").order_by("sort_order")
    assert [(field.label, field.field_type) for field in fields] == [
        ("Gaat uw kind mee?", "radio"),
        ("Wie rijdt er mee?", "singleline"),
    ]
    assert {field.default_value for field in fields} == {""}


# --- The custom screens: their title, the way back, printing -----------------------------------


def breadcrumbs(html):
    """The labels of the header's breadcrumbs, in order."""
    trail = re.search(r"data-w-breadcrumbs.*?<ol[^>]*>(.*?)</ol>", html, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", trail, re.S)
    labels = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]
    return [label.replace(" : ", ": ") for label in labels]  # a screen reader's ": "


def back_link(html):
    match = re.search(
        r'<p class="schoolportal-back[^"]*">\s*<a href="([^"]+)">(.*?)</a>', html, re.S
    )
    return match.group(1), " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


@pytest.mark.parametrize(
    ("screen", "title"), [("delivery", "Verzending"), ("answers", "Antwoorden")]
)
def test_a_mailings_screens_lead_back_to_the_mailing(client, world, screen, title):
    mailing = send_mailing(
        [world.group], [("Gaat uw kind mee?", "radio", "Ja\nNee", True)], title="Schoolreis"
    )
    client.force_login(world.teacher.user)

    html = client.get(snippet(Mailing, screen, mailing.pk)).content.decode()

    assert breadcrumbs(html) == ["Start", "Mailings", "Schoolreis", f"{title}: Schoolreis"]
    assert back_link(html) == (snippet(Mailing, "edit", mailing.pk), "Terug naar Schoolreis")
    other = "answers" if screen == "delivery" else "delivery"
    assert f'href="{snippet(Mailing, other, mailing.pk)}"' in html


@pytest.mark.parametrize(
    ("whole_school", "sentence"),
    [(True, " aan de hele school."), (False, " aan Groep 3a.")],
)
def test_the_delivery_screen_says_to_whom_in_a_sentence(client, world, whole_school, sentence):
    groups = [] if whole_school else [world.group]
    mailing = send_mailing(groups, school=world.school, title="Schoolreis")
    client.force_login(world.manager.user)

    html = client.get(snippet(Mailing, "delivery", mailing.pk)).content.decode()

    assert sentence in html
    assert "aan: " not in html


def test_a_colleague_who_may_not_change_the_mailing_is_led_to_reading_it(client, world):
    mailing = send_mailing([world.group], title="Schoolreis")
    client.force_login(world.colleague.user)

    html = client.get(snippet(Mailing, "delivery", mailing.pk)).content.decode()

    assert back_link(html)[0] == snippet(Mailing, "inspect", mailing.pk)


def test_the_class_list_says_which_group_leads_back_and_prints(client, world):
    client.force_login(world.teacher.user)

    html = client.get(reverse("people_class_list", args=[world.group.pk])).content.decode()

    assert breadcrumbs(html) == ["Start", "Klassenlijsten", "Klassenlijst: Groep 3a"]
    assert back_link(html) == (reverse("people_class_lists"), "Terug naar alle klassenlijsten")
    assert "data-print" in html and static("js/print-button.js") in html
    assert "Klassenlijst Groep 3a – Basisschool Het Anker" in html  # the title on paper


def test_the_invitation_leads_back_to_the_parent(client, world):
    client.force_login(world.manager.user)

    html = client.get(reverse("people_invite", args=["guardian", world.mother.pk])).content.decode()

    assert breadcrumbs(html) == [
        "Start",
        "Ouders/verzorgers",
        "Marieke Blom",
        "Uitnodigen: Marieke Blom",
    ]
    assert back_link(html) == (
        snippet(Guardian, "edit", world.mother.pk),
        "Terug naar Marieke Blom",
    )


@pytest.mark.parametrize(("kind", "subject"), [("groep", "group"), ("leerling", "noah")])
def test_link_codes_lead_back_to_the_group_or_pupil_and_print(client, world, kind, subject):
    subject = getattr(world, subject)
    client.force_login(world.manager.user)
    url = reverse("people_linkcodes", args=[kind, subject.pk])

    confirm = client.get(url).content.decode()
    letters = client.post(url).content.decode()

    edit_url = snippet(type(subject), "edit", subject.pk)
    assert back_link(confirm) == (edit_url, f"Terug naar {subject}")
    assert breadcrumbs(confirm)[-1] == f"Koppelcodes: {subject}"
    assert "data-print" in letters and static("js/print-button.js") in letters
    assert f'href="{edit_url}"' in letters


def test_every_admin_page_has_the_schools_stylesheet(client, world):
    client.force_login(world.teacher.user)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert f'<link rel="stylesheet" href="{static("css/admin.css")}">' in html


# --- Finding a child by name --------------------------------------------------------------------


def test_the_pupil_list_finds_a_child_by_first_and_last_name(client, world):
    client.force_login(world.manager.user)

    html = client.get(snippet(Pupil, "list"), {"q": "noah blom"}).content.decode()

    assert "Noah Blom" in html
    assert "Noah Jansen" not in html


def test_the_parent_list_finds_a_parent_by_full_name(client, world):
    client.force_login(world.manager.user)

    html = client.get(snippet(Guardian, "list"), {"q": "Marieke Blom"}).content.decode()

    assert "Marieke Blom" in html
    assert "Wouter Blom" not in html


def test_the_pupil_chooser_has_a_search_box_that_finds_full_names(client, world):
    chooser = Pupil.snippet_viewset.chooser_viewset
    client.force_login(world.manager.user)

    modal = client.get(reverse(chooser.get_url_name("choose"))).json()["html"]
    results = client.get(reverse(chooser.get_url_name("choose_results")), {"q": "Noah Blom"})

    assert 'name="q"' in modal
    assert "Noah Blom" in results.content.decode()
    assert "Noah Jansen" not in results.content.decode()


def test_the_chooser_search_stays_within_the_school(client, world):
    far_noah = PupilFactory(
        group=GroupFactory(school_year__school=world.elsewhere), first_name="Noah", last_name="Blom"
    )
    chooser = Pupil.snippet_viewset.chooser_viewset
    client.force_login(world.manager.user)

    html = client.get(
        reverse(chooser.get_url_name("choose_results")), {"q": "Noah Blom"}
    ).content.decode()

    assert f"/{far_noah.pk}/" not in html
    assert html.count("Noah Blom") == 1


# --- Listings without raw values ---------------------------------------------------------------


def test_the_agenda_list_says_ja_or_nee(client, world):
    AgendaItem.objects.create(
        school=world.school,
        title="Studiedag",
        start_date="2031-03-10",
        all_day=True,
        whole_school=True,
    )
    client.force_login(world.manager.user)

    html = client.get(snippet(AgendaItem, "list")).content.decode()

    row = re.search(r"Studiedag.*?</tr>", html, re.S).group(0)
    assert re.findall(r"<td[^>]*>\s*(Ja|Nee)\s*</td>", row) == ["Ja", "Ja"]


def test_inspecting_is_called_bekijken_and_not_offered_while_editing(client, world):
    mailing = send_mailing([world.group], title="Schoolreis")
    client.force_login(world.teacher.user)
    inspect_url = snippet(Mailing, "inspect", mailing.pk)

    listing = client.get(snippet(Mailing, "list")).content.decode()
    editing = client.get(snippet(Mailing, "edit", mailing.pk)).content.decode()

    assert re.search(rf'href="{inspect_url}"[^>]*>.*?Bekijken', listing, re.S)
    assert inspect_url not in editing


def test_a_teacher_is_not_offered_to_send_her_group_page_to_moderators(client, world):
    page = GroupPage.objects.get(group=world.group)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])

    client.force_login(world.teacher.user)
    as_teacher = client.get(edit).content.decode()
    client.force_login(superuser)
    as_superuser = client.get(edit).content.decode()

    assert 'name="action-submit"' not in as_teacher
    assert 'name="action-publish"' in as_teacher
    assert 'name="action-submit"' in as_superuser  # the installation's own workflow stays


def input_types(html):
    """{field name: input type} of the form's inputs."""
    return {
        name: kind for kind, name in re.findall(r'<input type="([\w-]+)" name="([\w-]+)"', html)
    }


@pytest.mark.parametrize(
    ("screen", "fields"),
    [
        (
            lambda world: snippet(AgendaItem, "add"),
            {
                "start_date": "date",
                "start_time": "time",
                "end_date": "date",
                "end_time": "time",
                "repeat_until": "date",
                "exceptions-__prefix__-date": "date",
            },
        ),
        (lambda world: snippet(Mailing, "add"), {"reply_deadline": "datetime-local"}),
        (
            lambda world: reverse(
                "wagtailadmin_pages:add",
                args=["pages", "blogpostpage", GroupPage.objects.get(group=world.group).pk],
            ),
            {"date": "date"},
        ),
    ],
)
def test_dates_and_times_are_the_browsers_own_fields(client, world, screen, fields):
    """A phone opens its own picker: no picker layer over "Opslaan" eats the first tap."""
    client.force_login(world.teacher.user)

    html = client.get(screen(world)).content.decode()

    assert {name: kind for name, kind in input_types(html).items() if name in fields} == fields


def test_a_native_date_and_time_save_an_agenda_item(client, world):
    client.force_login(world.teacher.user)
    form = nested_form_data(
        {
            "title": "Voorleesochtend",
            "location": "",
            "description": "",
            "start_date": "2031-03-10",
            "start_time": "09:00",
            "end_date": "",
            "end_time": "10:30",
            "repeat": "weekly",
            "repeat_until": "2031-04-30",
            "exceptions": inline_formset([{"date": "2031-03-17"}]),
        }
    )
    form["groups"] = [world.group.pk]

    response = client.post(snippet(AgendaItem, "add"), form)

    assert response.status_code == 302
    item = AgendaItem.objects.get(title="Voorleesochtend")
    assert (str(item.start_date), str(item.start_time), str(item.end_time)) == (
        "2031-03-10",
        "09:00:00",
        "10:30:00",
    )
    assert str(item.repeat_until) == "2031-04-30"
    assert [str(e.date) for e in item.exceptions.all()] == ["2031-03-17"]
    edit = client.get(snippet(AgendaItem, "edit", item.pk)).content.decode()
    assert 'type="date" name="start_date" value="2031-03-10"' in edit
    assert 'type="time" name="start_time" value="09:00"' in edit
