"""The demo school's Berichten: the Jansens with juf Bakker (one message Marieke has not
read yet) and the directie with the De Vries family.

Written as rows, not through ``sending``: loading the demo queues no e-mail (like the
demo mailings). A conversation that is there already is left as it is.
"""

from datetime import timedelta

from django.utils import timezone

from schoolportal.conversations.models import Conversation, Message, Participant
from schoolportal.people.models import Guardian, StaffMember, StaffRole

CONVERSATIONS = [
    {
        "subject": "Emma naar de tandarts",
        "staff": {"display_name": "juf Bakker"},
        "guardians": ("ouder.jansen@example.org", "peter.jansen@example.net"),
        # (hours ago, sender: "staff" or a guardian's e-mail, text)
        "messages": [
            (
                50,
                "ouder.jansen@example.org",
                "Beste juf Bakker,\n\nEmma moet donderdag om 10.00 uur naar de tandarts. "
                "Ik haal haar om 9.45 uur op en breng haar na afloop terug naar school.\n\n"
                "Groet, Marieke Jansen",
            ),
            (
                47,
                "staff",
                "Dank u voor het laten weten. Ik zorg dat Emma om 9.45 uur klaarstaat.",
            ),
            (
                2,
                "staff",
                "Emma heeft vandaag haar gymspullen op school laten liggen; ze hangen aan "
                "de kapstok in de klas.",
            ),
        ],
        # Marieke read up to the second message: the third is new for her.
        "read_until": {"ouder.jansen@example.org": 1, "peter.jansen@example.net": None},
    },
    {
        "subject": "Kennismakingsgesprek",
        "staff": {"role": StaffRole.MANAGEMENT},
        "guardians": ("ouder.devries@example.org",),
        "messages": [
            (
                120,
                "staff",
                "Beste mevrouw De Vries,\n\nWelkom op De Regenboog! Graag nodig ik u uit voor "
                "een kennismakingsgesprek. Schikt dinsdag 16.00 uur?\n\nKarin Smit, directeur",
            ),
            (96, "ouder.devries@example.org", "Dinsdag om 16.00 uur komt goed uit. Tot dan!"),
        ],
        "read_until": {"ouder.devries@example.org": 1},
    },
]


def build_conversations(builder, school):
    now = timezone.now()
    for spec in CONVERSATIONS:
        staff = StaffMember.objects.filter(school=school, **spec["staff"]).order_by("pk").first()
        guardians = [Guardian.objects.filter(email=e).first() for e in spec["guardians"]]
        exists = Conversation.objects.filter(school=school, subject=spec["subject"]).exists()
        builder.report.count("gesprekken", not exists)
        if exists or staff is None or None in guardians:
            continue
        times = [now - timedelta(hours=hours) for hours, _sender, _text in spec["messages"]]
        conversation = Conversation.objects.create(
            school=school, subject=spec["subject"], started_at=times[0], last_message_at=times[-1]
        )
        staff_row = Participant.objects.create(
            conversation=conversation, staff_member=staff, added_at=times[0], last_read_at=now
        )
        rows = {
            guardian.email: Participant.objects.create(
                conversation=conversation, guardian=guardian, added_at=times[0]
            )
            for guardian in guardians
        }
        for sent_at, (_hours, sender, text) in zip(times, spec["messages"], strict=True):
            Message.objects.create(
                conversation=conversation,
                sender=staff_row if sender == "staff" else rows[sender],
                body=text,
                sent_at=sent_at,
            )
        for email, index in spec["read_until"].items():
            if index is not None:
                rows[email].last_read_at = times[index]
                rows[email].save(update_fields=["last_read_at"])
