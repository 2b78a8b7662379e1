"""The e-mail that says a download is ready: a link to it, never the file itself."""

from django.urls import reverse

from schoolportal.notifications import outbox
from schoolportal.notifications.email import absolute, render_email

from .building import READY_KIND
from .models import DataExport


@outbox.renderer(READY_KIND)
def render_ready(message):
    export = DataExport.objects.get(pk=message.cause_id)  # deleted: the outbox gives up
    context = {
        "export": export,
        "link": absolute(reverse("dataexport:download", args=[export.pk])),
        "profile_link": absolute(reverse("portal:profile")) + "#mijn-gegevens",
    }
    return render_email("data_export_ready", context, message.recipient_email)
