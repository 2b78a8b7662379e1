"""The parent and their children: profile, children, emergency contacts, photo consent."""

from django.utils.translation import gettext as _

from schoolportal import access
from schoolportal.consent.models import ConsentChannel, ConsentUse

from .base import Section, Table


def profile(user):
    guardian = access.guardian_for(user)
    section = Section("profile", _("Mijn profiel"))
    account = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }
    section.tables.append(
        Table(
            _("Account"),
            [
                ("email", _("Inlog e-mailadres")),
                ("first_name", _("Voornaam")),
                ("last_name", _("Achternaam")),
                ("date_joined", _("Account aangemaakt op")),
                ("last_login", _("Laatst ingelogd op")),
            ],
            [account],
        )
    )
    if guardian is not None:
        section.tables.append(
            Table(
                _("Persoonsgegevens en contact"),
                [
                    ("name", _("Naam")),
                    ("address", _("Adres")),
                    ("address_hidden", _("Adres verborgen voor andere ouders")),
                    ("phone", _("Telefoon")),
                    ("phone_hidden", _("Telefoonnummer verborgen voor andere ouders")),
                    ("mobile_phone", _("Mobiel")),
                    ("mobile_phone_hidden", _("Mobiel nummer verborgen voor andere ouders")),
                    ("email", _("E-mailadres")),
                    ("email_hidden", _("E-mailadres verborgen voor andere ouders")),
                    ("updated_at", _("Laatst gewijzigd op")),
                ],
                [
                    {
                        "name": guardian.full_name,
                        "address": guardian.address_lines,
                        "address_hidden": guardian.address_hidden,
                        "phone": guardian.phone,
                        "phone_hidden": guardian.phone_hidden,
                        "mobile_phone": guardian.mobile_phone,
                        "mobile_phone_hidden": guardian.mobile_phone_hidden,
                        "email": guardian.email,
                        "email_hidden": guardian.email_hidden,
                        "updated_at": guardian.updated_at,
                    }
                ],
            )
        )
    section.tables.append(
        Table(
            _("Oppas"),
            [("name", _("Naam")), ("phone", _("Telefoon")), ("notes", _("Opmerkingen"))],
            [
                {"name": sitter.name, "phone": sitter.phone, "notes": sitter.notes}
                for sitter in access.own_babysitters(user).order_by("name", "pk")
            ],
        )
    )
    changes = access.exported_email_changes(user).order_by("created_at", "pk")
    section.tables.append(
        Table(
            _("Wijzigingen van uw e-mailadres"),
            [
                ("old_email", _("Oud e-mailadres")),
                ("new_email", _("Nieuw e-mailadres")),
                ("created_at", _("Aangevraagd op")),
                ("confirmed_at", _("Bevestigd op")),
            ],
            [
                {
                    "old_email": change.old_email,
                    "new_email": change.new_email,
                    "created_at": change.created_at,
                    "confirmed_at": change.confirmed_at,
                }
                for change in changes
            ],
        )
    )
    groups = access.class_parent_groups(user).select_related("school", "school_year")
    section.tables.append(
        Table(
            _("Klassenouder van"),
            [("group", _("Groep")), ("school_year", _("Schooljaar")), ("school", _("School"))],
            [
                {"group": g.name, "school_year": g.school_year.name, "school": g.school.name}
                for g in groups.order_by("school__name", "name")
            ],
        )
    )
    # Written as klassenouder: the parent's own words, sent or not.
    written = access.exported_class_parent_mailings(user)
    section.tables.append(
        Table(
            _("Mailings die u schreef als klassenouder"),
            [
                ("title", _("Onderwerp")),
                ("created_at", _("Gemaakt op")),
                ("sent_at", _("Verstuurd op")),
            ],
            [
                {"title": m.title, "created_at": m.created_at, "sent_at": m.sent_at}
                for m in written.order_by("created_at", "pk")
            ],
        )
    )
    return section


def children(user):
    section = Section(
        "children",
        _("Kinderen"),
        _(
            "Van de andere ouders/verzorgers van uw kinderen staan hier alleen naam en "
            "relatie: hun contactgegevens zijn van henzelf."
        ),
    )
    pupils = list(
        access.exported_pupils(user)
        .select_related("school", "group")
        .order_by("date_of_birth", "pk")
    )
    names = {pupil.pk: pupil.full_name for pupil in pupils}
    section.tables.append(
        Table(
            _("Gegevens van uw kinderen"),
            [
                ("name", _("Naam")),
                ("date_of_birth", _("Geboortedatum")),
                ("pupil_number", _("Leerlingnummer")),
                ("school", _("School")),
                ("group", _("Groep")),
                ("address", _("Adres")),
                ("medical_notes", _("Medische bijzonderheden")),
                ("allergies", _("Allergieën")),
                ("left_on", _("Uitgeschreven per")),
            ],
            [
                {
                    "name": pupil.full_name,
                    "date_of_birth": pupil.date_of_birth,
                    "pupil_number": pupil.pupil_number,
                    "school": pupil.school.name,
                    "group": pupil.group.name if pupil.group else "",
                    "address": pupil.address_lines,
                    "medical_notes": pupil.medical_notes,
                    "allergies": pupil.allergies,
                    "left_on": pupil.left_on,
                }
                for pupil in pupils
            ],
        )
    )
    guardianships = access.exported_guardianships(user).select_related("guardian")
    section.tables.append(
        Table(
            _("Ouders/verzorgers"),
            [("child", _("Kind")), ("name", _("Naam")), ("relation", _("Relatie"))],
            [
                {
                    "child": names[pair.pupil_id],
                    "name": pair.guardian.full_name,
                    "relation": pair.get_relation_display(),
                }
                for pair in guardianships.order_by("pupil_id", "pk")
            ],
        )
    )
    contacts = access.exported_emergency_contacts(user).order_by("pupil_id", "pk")
    section.tables.append(
        Table(
            _("Noodcontacten"),
            [
                ("child", _("Kind")),
                ("name", _("Naam")),
                ("relation", _("Relatie tot het kind")),
                ("phone", _("Telefoon")),
            ],
            [
                {
                    "child": names[contact.pupil_id],
                    "name": contact.name,
                    "relation": contact.relation,
                    "phone": contact.phone,
                }
                for contact in contacts
            ],
        )
    )
    return section


def consent(user):
    section = Section("photo_consent", _("Toestemming foto's"))
    pupils = list(access.exported_pupils(user).order_by("date_of_birth", "pk"))
    names = {pupil.pk: pupil.full_name for pupil in pupils}
    section.tables.append(
        Table(
            _("Toestemming nu"),
            [("child", _("Kind"))] + [(use.value, use.label) for use in ConsentUse],
            [
                {
                    "child": pupil.full_name,
                    **{use.value: getattr(pupil, use.value) for use in ConsentUse},
                }
                for pupil in pupils
            ],
        )
    )
    changes = access.exported_consent_changes(user).order_by("changed_at", "pk")
    uses, channels = dict(ConsentUse.choices), dict(ConsentChannel.choices)
    section.tables.append(
        Table(
            _("Geschiedenis"),
            [
                ("child", _("Kind")),
                ("changed_at", _("Gewijzigd op")),
                ("use", _("Gebruik")),
                ("old_value", _("Was")),
                ("new_value", _("Wordt")),
                ("changed_by", _("Gewijzigd door")),
                ("channel", _("Via")),
            ],
            [
                {
                    "child": names[change.pupil_id],
                    "changed_at": change.changed_at,
                    "use": str(uses.get(change.use, change.use)),
                    "old_value": change.old_value,
                    "new_value": change.new_value,
                    "changed_by": change.changed_by_name,
                    "channel": str(channels.get(change.channel, change.channel)),
                }
                for change in changes
            ],
        )
    )
    return section
