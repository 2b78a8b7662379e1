"""A mailing cannot be answered; a parent writes to the school in Berichten instead.

Every mailing page and e-mail links to Berichten > Opstellen, with the teachers who sent
the mailing already chosen when it came from them.
"""

from urllib.parse import urlencode

from django.urls import reverse


def write_about(mailing):
    """(URL of Opstellen, names of the staff chosen there, "" for none)."""
    staff = mailing.staff_senders()
    query = urlencode([("aan", member.pk) for member in staff])
    url = reverse("conversations:compose") + (f"?{query}" if query else "")
    return url, ", ".join(member.display_name for member in staff)
