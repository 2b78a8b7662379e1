"""The demo school's mailings of the last weeks, with an open and a closed reply slip.

They are published through Wagtail (so they have revisions) but marked as sent before
publishing: loading the demo queues no e-mail.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model

from pages.provisioning import ensure_school_collection
from schoolportal.mailings.delivery import record_audience
from schoolportal.mailings.models import (
    Audience,
    Mailing,
    MailingAttachment,
    ReplyPer,
    ReplySlipAnswer,
    ReplySlipField,
    Sender,
)
from schoolportal.people.models import Guardianship, StaffMember, StaffRole

MAILINGS = [
    {
        "title": "Nieuwsbrief november",
        "days_ago": 24,
        "sender": Sender.SCHOOL,
        "body": (
            "<h2>Beste ouders en verzorgers,</h2>"
            "<p>De herfst is begonnen en de school staat vol knutselwerk. In deze nieuwsbrief "
            "leest u over de studiedag, de luizencontrole en het schoolfotograaf-bezoek.</p>"
            "<ul><li>Luizencontrole: woensdag na de herfstvakantie.</li>"
            "<li>De schoolfotograaf komt op dinsdag 3 december.</li></ul>"
            "<p>Met vriendelijke groet,<br>Karin Smit, directeur</p>"
        ),
        "attachment": ("Nieuwsbrief november", "nieuwsbrief-november.pdf"),
    },
    {
        "title": "Schoolreis groep 3: wie rijdt er mee?",
        "days_ago": 3,
        "sender": Sender.TEACHER,
        "groups": (3,),
        "body": (
            "<p>Beste ouders van groep 3,</p>"
            "<p>Vrijdag over twee weken gaan we naar de kinderboerderij. We zoeken ouders die "
            "willen rijden. Vult u het antwoordbriefje in?</p><p>Juf Bakker</p>"
        ),
        "slip": {
            "per": ReplyPer.FAMILY,
            "deadline_days": 10,
            "fields": [
                ("Wie rijdt er mee naar de kinderboerderij?", "radio", "Ja, ik rijd\nNee", True),
                (
                    "Hoeveel kinderen kunnen er bij u mee (naast uw eigen kind)?",
                    "number",
                    "",
                    False,
                ),
                ("Opmerkingen", "multiline", "", False),
            ],
        },
    },
    {
        "title": "Sinterklaasviering: hulp gezocht",
        "days_ago": 12,
        "sender": Sender.CLASS_PARENTS,
        "groups": (3,),
        "body": (
            "<p>Hallo ouders van groep 3,</p><p>Voor de Sinterklaasviering zoeken we hulp bij "
            "het versieren van het lokaal op maandagmiddag. Graag via het antwoordbriefje "
            "laten weten of u kunt.</p><p>Groetjes, de klassenouders</p>"
        ),
        "slip": {
            "per": ReplyPer.CHILD,
            "deadline_days": -2,  # closed two days ago
            "fields": [
                ("Kan een ouder helpen versieren?", "radio", "Ja\nNee", True),
                ("Eet uw kind mee met de lunch?", "checkbox", "", False),
            ],
        },
        "answers": 9,
    },
    {
        "title": "Verslag MR-vergadering oktober",
        "days_ago": 17,
        "sender": Sender.PARTICIPATION_COUNCIL,
        "body": (
            "<p>De medezeggenschapsraad vergaderde op 14 oktober. Onderwerpen: het "
            "schoolplan, de vrijwillige ouderbijdrage en het nieuwe speelplein.</p>"
            "<p>Het volledige verslag ligt ter inzage bij de administratie.</p>"
        ),
    },
    {
        "title": "Ouderbijdrage en schoolfeest",
        "days_ago": 8,
        "sender": Sender.PARENTS_COUNCIL,
        "body": (
            "<p>De ouderraad organiseert dit jaar weer het schoolfeest. De vrijwillige "
            "ouderbijdrage is € 45 per kind. Dank voor uw steun!</p>"
        ),
    },
]


def build_mailings(builder, school, groups):
    author = (
        StaffMember.objects.filter(school=school, role=StaffRole.MANAGEMENT, user__isnull=False)
        .values_list("user", flat=True)
        .first()
    )
    now = timezone.now()
    for spec in MAILINGS:
        sent_at = timezone.localtime(now - timedelta(days=spec["days_ago"])).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
        mailing = Mailing.objects.filter(school=school, title=spec["title"]).first()
        created = mailing is None
        builder.report.count("mailings", created)
        if not created:
            continue
        chosen = [groups[level] for level in spec.get("groups", ())]
        mailing = Mailing(
            school=school,
            title=spec["title"],
            body=spec["body"],
            sender=spec["sender"],
            audience=Audience.GROUPS if chosen else Audience.SCHOOL,
            created_by_id=author,
            sent_at=sent_at,  # demo mailings are history: publishing them sends nothing
        )
        slip = spec.get("slip")
        if slip:
            mailing.reply_per = slip["per"]
            mailing.reply_deadline = sent_at + timedelta(
                days=spec["days_ago"] + slip["deadline_days"]
            )
            mailing.reply_fields = ReplySlipField.questions(slip["fields"])
        # A cluster: groups, questions and attachments are written with the mailing's save.
        mailing.groups.set(chosen)
        if spec.get("attachment"):
            title, filename = spec["attachment"]
            attachment = _demo_pdf(title, filename)
            # Where staff uploads go: the school's own collection (``pages.provisioning``).
            attachment.collection = ensure_school_collection(school).collection
            attachment.save()
            mailing.attachments.add(MailingAttachment(document=attachment))
        mailing.save()
        mailing.save_revision().publish()
        Mailing.objects.filter(pk=mailing.pk).update(
            first_published_at=sent_at, last_published_at=sent_at, sent_at=sent_at
        )
        record_audience(mailing)  # whom it was sent for, without sending
        if spec.get("answers"):
            _demo_answers(mailing, chosen, spec["answers"])


def _demo_pdf(title, filename):
    """A one-page PDF saying its title: enough to see an attachment arrive and open."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    document = get_document_model()(
        title=title, file=ContentFile(pdf, name=filename), file_size=len(pdf)
    )
    document.save()
    document.get_file_hash()  # stores the hash, as Wagtail's own upload form does
    return document


# The README's parents answer their slips themselves; Rob Terpstra has no parental authority.
NAMED_PARENTS = [
    "ouder.jansen@example.org",
    "ouder.devries@example.org",
    "rob.terpstra@example.org",
]


def _demo_answers(mailing, groups, count):
    guardianships = (
        Guardianship.objects.filter(pupil__group__in=groups)
        .exclude(guardian__email__in=NAMED_PARENTS)
        .order_by("pupil__last_name", "pupil__first_name")[:count]
    )
    helps, lunch = (field.clean_name for field in mailing.reply_fields.order_by("sort_order"))
    for number, guardianship in enumerate(guardianships):
        ReplySlipAnswer.objects.get_or_create(
            mailing=mailing,
            pupil_id=guardianship.pupil_id,
            defaults={
                "answers": {helps: "Ja" if number % 3 else "Nee", lunch: number % 2 == 0},
                "answered_by_id": guardianship.guardian.user_id,  # None: answered on paper
            },
        )
