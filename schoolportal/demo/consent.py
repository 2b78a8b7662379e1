"""The demo school's photo consent: the Jansens agree to photos on the group page and the
website, later withdraw the website; the De Vries family agrees to the group page only. Each
change goes through the consent history, so "Toestemming foto's" in the admin has a story.

Loaded once: when the school has consent history already, nothing is added.
"""

from schoolportal.consent.models import ConsentChange, ConsentChannel
from schoolportal.consent.recording import save_with_consent_history
from schoolportal.people.models import Guardian, Pupil

# (child's first name, last name, parent's login, [{field: value}, one dict per change]).
STORIES = [
    (
        "Emma",
        "Jansen",
        "ouder.jansen@example.org",
        [
            {"photo_consent_group_page": True, "photo_consent_website": True},
            {"photo_consent_website": False},
        ],
    ),
    ("Sophie", "Vries", "ouder.devries@example.org", [{"photo_consent_group_page": True}]),
]


def build_consent(builder, school):
    if ConsentChange.objects.filter(pupil__school=school).exists():
        return
    for first_name, last_name, login, changes in STORIES:
        pupil = Pupil.objects.filter(
            school=school, first_name=first_name, last_name=last_name
        ).first()
        guardian = Guardian.objects.filter(user__email=login).select_related("user").first()
        if pupil is None or guardian is None:
            continue
        for values in changes:
            for field, value in values.items():
                setattr(pupil, field, value)

            def save(pupil=pupil):
                pupil.save()
                return pupil

            save_with_consent_history(pupil, save, guardian.user, ConsentChannel.PORTAL)
    for _change in ConsentChange.objects.filter(pupil__school=school):
        builder.report.count(ConsentChange._meta.verbose_name_plural, True)
