"""Sending a newsletter: its first publication queues one e-mail per guardian of the school.

As a mailing's (``schoolportal.mailings.delivery``): ``sent_at`` is set once with a
conditional UPDATE in the transaction that queues the outbox rows, so a later revision, a
double click or publishing an old revision (which keeps ``sent_at``, see
``NewsletterPage.with_content_json``) sends nothing. The e-mail carries the whole issue,
HTML and plain text, and links to it in the portal. Photos are not sent along (no inline
CID parts): they stay behind the portal's permission check, and the e-mail links to each one
there. So a forwarded e-mail shows no child to whoever receives it, and a consent withdrawn
after sending also takes the photo out of e-mails already delivered: the link then answers
404, where an inline copy would stay in every mailbox.
"""

import time
from email.utils import formataddr, make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.rich_text import expand_db_html
from wagtail.signals import page_published

from pages.models import NewsletterPage
from schoolportal.mailings.delivery import absolute
from schoolportal.mailings.recipients import guardian_addresses
from schoolportal.mailings.text import html_to_text
from schoolportal.notifications import outbox
from schoolportal.notifications.email import compose_link
from schoolportal.people.models import Guardianship, still_at_school

NEWSLETTER = "newsletter"


@receiver(page_published, sender=NewsletterPage, dispatch_uid="newsletter-send-on-publish")
def send_on_first_publication(sender, instance, **kwargs):
    if instance.live:  # a publication scheduled for later also sends this signal
        send(instance)


def recipients(issue):
    """(e-mail address, user id) of every guardian of a child (still) at the issue's school."""
    guardians = Guardianship.objects.filter(
        still_at_school("pupil__"), pupil__school_id=issue.school_id
    )
    return guardian_addresses(guardians.values("guardian_id"))


def send(issue):
    """Queue the e-mails of the issue's first publication; returns how many."""
    if issue.school_id is None:
        return 0
    with transaction.atomic():
        sent_at = timezone.now()
        first = NewsletterPage.objects.filter(pk=issue.pk, sent_at__isnull=True).update(
            sent_at=sent_at
        )
        if not first:
            return 0
        issue.sent_at = sent_at
        return outbox.queue(NEWSLETTER, issue.pk, recipients(issue))


def send_to_new_recipients(issue):
    """Staff's "send to whoever has not received it": guardians added since, and children
    who joined the school since."""
    with transaction.atomic():
        return outbox.queue_missing(NEWSLETTER, issue.pk, recipients(issue))


def send_again_to_everybody(issue):
    """Staff's explicit resend: every current guardian of the school gets the issue again."""
    with transaction.atomic():
        return outbox.resend(NEWSLETTER, issue.pk, recipients(issue))


def delivery_counts(issue):
    return outbox.status_counts(NEWSLETTER, issue.pk)


@outbox.also_on_sweep
def send_published_but_unsent():
    """Wagtail saves a publication before it signals it: a worker that died in between
    left a live issue whose e-mails were never queued."""
    for issue in NewsletterPage.objects.live().filter(sent_at__isnull=True, school__isnull=False):
        send(issue)


# --- Rendering -------------------------------------------------------------------------------


def _absolute_links(html):
    """Rich-text links to the site are relative: in an e-mail they need the site's address."""
    return html.replace('href="/', f'href="{absolute("/")}')


def email_blocks(issue, today=None):
    """What the e-mail shows of each block of the issue, in order, as plain values for
    ``email/newsletter.html`` and ``.txt``. A photo withheld for want of consent is left
    out entirely (``NewsletterPage.withheld_photos``)."""
    parts = []
    for position, (block, withheld) in enumerate(issue.blocks_with_consent()):
        if withheld is None:
            parts.extend(_block_parts(issue, block, today))
        if position == issue.group_items_position:
            parts.extend(_group_item_parts(issue))
    if issue.group_items_position is None:
        parts.extend(_group_item_parts(issue))
    return parts


def _group_item_parts(issue):
    """The teachers' approved items for "uit de groepen", with their photo if shown."""
    parts = []
    for item in issue.shown_group_items:
        parts.append({"kind": "group_news", "group": item.group.name, "text": item.text})
        if item.photo_shown:
            url = reverse("newsletters:image", args=[issue.pk, item.image_id])
            parts.append({"kind": "image", "caption": item.caption, "url": absolute(url)})
    return parts


def _block_parts(issue, block, today):
    """What the e-mail shows of one block: [] or [part]."""
    kind, value = block.block_type, block.value
    if kind == "heading":
        return [{"kind": kind, "text": value}]
    if kind == "text":
        html = _absolute_links(expand_db_html(value.source))
        return [{"kind": kind, "html": html, "text": html_to_text(html).strip()}]
    if kind == "image" and value["image"] is not None:
        url = reverse("newsletters:image", args=[issue.pk, value["image"].pk])
        return [{"kind": kind, "caption": value["caption"], "url": absolute(url)}]
    if kind == "call_to_action":
        url = value["url"]
        if not url and value["document"] is not None:
            url = absolute(reverse("newsletters:document", args=[issue.pk, value["document"].pk]))
        return [{"kind": kind, "text": value["text"], "url": url}]
    if kind == "group_news":
        group = value["group"]
        return [{"kind": kind, "group": group.name if group else "", "text": value["text"]}]
    if kind == "agenda":
        occurrences = block.block.occurrences(value, issue.school_id, today=today)
        return [{"kind": kind, "heading": value["heading"], "occurrences": occurrences}]
    return []


def render_issue(issue):
    """Subject, text and HTML of the issue's e-mail: the same for every recipient."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "issue": issue,
            "school": issue.school,
            "blocks": email_blocks(issue),
            "compose_link": compose_link(),
            "link": absolute(reverse("newsletters:issue", args=[issue.pk])),
            "subject": issue.title,
        }
        text = render_to_string("email/newsletter.txt", context)
        html = render_to_string("email/newsletter.html", context)
    return {"subject": " ".join(issue.title.splitlines()), "text": text, "html": html}


# Rendered once per issue and reused for every recipient, briefly (as a mailing's).
_PROTOTYPES = {}
PROTOTYPE_SECONDS = 10


def _prototype(issue_id):
    cached = _PROTOTYPES.get(issue_id)
    if cached and time.monotonic() - cached[0] < PROTOTYPE_SECONDS:
        return cached[1]
    issue = NewsletterPage.objects.select_related("school").get(pk=issue_id)
    prototype = render_issue(issue)
    prototype["from"] = formataddr((issue.school.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    prototype["list_id"] = f"{issue.school.name} <newsletters.{issue.school_id}.{_domain()}>"
    _PROTOTYPES.clear()
    _PROTOTYPES[issue_id] = (time.monotonic(), prototype)
    return prototype


def _domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


@outbox.renderer(NEWSLETTER)
def render_newsletter(message):
    prototype = _prototype(message.cause_id)
    email = EmailMultiAlternatives(
        subject=prototype["subject"],
        body=prototype["text"],
        from_email=prototype["from"],
        to=[message.recipient_email],
        headers={
            # New for every attempt: mailboxes drop a message whose id they know.
            "Message-ID": make_msgid(
                idstring=f"{message.kind}.{message.cause_id}.{message.pk}", domain=_domain()
            ),
            "List-Id": prototype["list_id"],
            "Precedence": "bulk",
        },
    )
    email.attach_alternative(prototype["html"], "text/html")
    return email
