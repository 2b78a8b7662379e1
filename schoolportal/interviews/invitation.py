"""The invitation to a round: a normal draft mailing to the round's groups, with a link
straight to choosing a time. Staff read it over and publish it like any other mailing."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from schoolportal.mailings.models import Audience, Mailing


def invitation_body(interview_round):
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "interviews:round", args=[interview_round.pk]
    )
    opens = date_format(timezone.localtime(interview_round.booking_opens_at), "l j F H:i")
    closes = date_format(timezone.localtime(interview_round.booking_closes_at), "l j F H:i")
    paragraphs = [
        _("Beste ouders en verzorgers,"),
        _(
            "U bent uitgenodigd voor de %(title)s. Van %(opens)s tot %(closes)s kiest u in het "
            "ouderportaal onder Oudergesprekken een tijd voor elk kind, en schrijft u er als u "
            "wilt een onderwerp bij."
        )
        % {"title": interview_round.title, "opens": opens, "closes": closes},
    ]
    html = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return html + f'<p><a href="{escape(link)}">{escape(_("Kies een tijd"))}</a></p>'


def write_invitation(interview_round, user):
    """A draft mailing inviting the round's groups; returns it."""
    mailing = Mailing(
        school=interview_round.school,
        title=_("Uitnodiging: %(title)s") % {"title": interview_round.title},
        body=invitation_body(interview_round),
        audience=Audience.GROUPS,
        created_by=user,
    )
    mailing.save()
    mailing.groups.set(interview_round.groups.all())
    mailing.save()
    mailing.save_revision(user=user)
    return mailing
