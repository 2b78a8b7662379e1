"""What the portal keeps about people, generated from the running settings: the privacy page
for parents and the school's processing overview (Verwerkingsoverzicht) read the same list.

Each category names the retention rules (``rules.RULES``) that end it, so a changed period
shows on both pages at once, and the module switch on ``School`` that turns it off.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .rules import RULES


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    data: str
    purpose: str
    basis: str
    access: str
    rules: tuple = ()
    # Retention that no rule of the portal ends (the school's own administration decides).
    kept: str = ""
    # The School field that switches the module on; empty: always on.
    module: str = ""


def duration(days):
    """'2 jaar', '90 dagen'."""
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d jaar", "%(count)d jaar", years) % {"count": years}
    return ngettext("%(count)d dag", "%(count)d dagen", days) % {"count": days}


def session_text():
    idle = settings.SESSION_IDLE_TIMEOUT // 60
    longest = settings.SESSION_COOKIE_AGE // 3600
    return _(
        "U wordt uitgelogd na %(idle)s zonder activiteit, en uiterlijk %(longest)s na het inloggen."
    ) % {
        "idle": (
            ngettext("%(count)d uur", "%(count)d uur", idle // 60) % {"count": idle // 60}
            if idle % 60 == 0
            else ngettext("%(count)d minuut", "%(count)d minuten", idle) % {"count": idle}
        ),
        "longest": (
            duration(longest // 24)
            if longest % 24 == 0
            else ngettext("%(count)d uur", "%(count)d uur", longest) % {"count": longest}
        ),
    }


CATEGORIES = [
    Category(
        "guardians",
        _("Gegevens van ouders en verzorgers"),
        _("Naam, e-mailadres, adres, telefoonnummers, oppas, rol als klassenouder."),
        _("Contact tussen school en ouders; klassenlijsten voor andere ouders."),
        _(
            "Wettelijke taak van de school (Wet op het primair onderwijs); wat andere ouders "
            "zien, alleen met uw toestemming (uw instellingen in het profiel)."
        ),
        _("Het team van de school. Andere ouders van de groep zien alleen wat u deelt."),
        rules=("accounts_of_families_who_left",),
    ),
    Category(
        "pupils",
        _("Gegevens van leerlingen"),
        _("Naam, geboortedatum, groep, medische bijzonderheden, allergieën, noodcontacten."),
        _("Onderwijs aan en zorg voor uw kind."),
        _(
            "Wettelijke taak van de school (Wet op het primair onderwijs); medische gegevens om "
            "uw kind te kunnen helpen (vitaal belang)."
        ),
        _("Het team van de school; andere ouders van de groep zien alleen de naam."),
        kept=_(
            "Zolang uw kind op school zit. Daarna bewaart de school het dossier volgens "
            "haar leerlingadministratie."
        ),
    ),
    Category(
        "account",
        _("Account en inloggen"),
        _(
            "E-mailadres, versleuteld wachtwoord, uitnodigingen, wijzigingen van e-mailadres, "
            "sessies en ingelogde apparaten (soort apparaat, laatste gebruik), "
            "tweestapsverificatie (geheime sleutel, herstelcodes)."
        ),
        _("Veilig inloggen op het ouderportaal."),
        _("Wettelijke taak van de school."),
        _("Alleen u; de administratie van de school ziet of u een account heeft."),
        rules=("invitations", "email_changes", "login_sessions", "accounts_of_families_who_left"),
    ),
    Category(
        "conversations",
        _("Berichten"),
        _("Berichten tussen u en het team, met bijlagen."),
        _("Contact over uw kind."),
        _("Wettelijke taak van de school."),
        _("Alleen de deelnemers aan het gesprek."),
        rules=("conversations",),
    ),
    Category(
        "mailings",
        _("Mailings en strookjes"),
        _("Welke mailings u kreeg en las, uw antwoorden op strookjes."),
        _("Informatie van school; toestemming en aanmeldingen voor activiteiten."),
        _("Wettelijke taak van de school; bij een strookje om toestemming: uw toestemming."),
        _("Het team van de school; de klassenouder ziet de antwoorden op zijn eigen mailing."),
        rules=("reply_slip_answers",),
    ),
    Category(
        "absences",
        _("Absenties"),
        _("Ziekmeldingen en afwezigheid met reden en data."),
        _("Weten wie er op school is; verzuim melden waar de wet dat vraagt."),
        _("Wettelijke verplichting (Leerplichtwet 1969)."),
        _("De leerkrachten van de groep, de directie en de administratie."),
        rules=("absences",),
        module="absences_enabled",
    ),
    Category(
        "lunch",
        _("Overblijven"),
        _("De dagen waarop uw kind overblijft of afgemeld is."),
        _("De overblijflijst van de dag en de facturering."),
        _("Overeenkomst met de ouders; de fiscale bewaarplicht voor de facturering."),
        _("Het team van de school."),
        rules=("lunch_days",),
        module="lunch_enabled",
    ),
    Category(
        "interviews",
        _("Oudergesprekken"),
        _("Uw gekozen tijd en onderwerp."),
        _("Het plannen van oudergesprekken."),
        _("Wettelijke taak van de school."),
        _("De leerkracht van het gesprek, de directie en de administratie."),
        rules=("interview_bookings",),
        module="interviews_enabled",
    ),
    Category(
        "results",
        _("Resultaten"),
        _("Toetsresultaten en rapporten."),
        _("Ouders informeren over de ontwikkeling van hun kind."),
        _("Wettelijke taak van de school (Wet op het primair onderwijs)."),
        _("Alleen de ouders van het kind en het team van de school."),
        rules=("results_of_pupils_who_left",),
        module="results_enabled",
    ),
    Category(
        "group_pages",
        _("Groepspagina's en foto's"),
        _("Berichten, fotoalbums en reacties van ouders en team onder de berichten."),
        _("Ouders laten zien wat er in de groep gebeurt."),
        _("Toestemming van de ouders voor foto's van hun kind."),
        _("De ouders van de groep en het team; nooit openbaar."),
        rules=("album_photos",),
        module="group_pages_enabled",
    ),
    Category(
        "consent",
        _("Toestemming voor foto's"),
        _("Uw keuzes en elke wijziging: wie, wanneer, oud en nieuw."),
        _("Alleen foto's gebruiken waarvoor u toestemming gaf."),
        _("Wettelijke verplichting: de school moet toestemming kunnen aantonen (AVG artikel 7)."),
        _("De leerkrachten van de groep, de directie en de administratie."),
        rules=("consent_history_of_pupils_who_left",),
    ),
    Category(
        "access_log",
        _("Inzagelog"),
        _(
            "Wie van het team wanneer de gegevens van een leerling of ouder opende, wijzigde, "
            "afdrukte of exporteerde (welke velden, nooit de waarden)."
        ),
        _("Kunnen nagaan wie gegevens van kinderen heeft ingezien; misbruik opsporen."),
        _("Wettelijke verplichting: passende beveiliging (AVG artikel 32)."),
        _("De directie en de administratie van de school."),
        rules=("access_log",),
    ),
    Category(
        "email",
        _("E-mail"),
        _("Aan welk adres welke e-mail is verstuurd en wanneer."),
        _("Zorgen dat elke e-mail precies één keer aankomt."),
        _("Wettelijke taak van de school."),
        _("De administratie van de school."),
        rules=("outbox",),
    ),
]


def retention_lines(category):
    """[text] of how long a category's data is kept, from the rules' current periods."""
    rules = {rule.kind: rule for rule in RULES}
    lines = [
        _("%(label)s: %(action)s %(duration)s %(counted_from)s.")
        % {
            "label": rules[kind].label,
            "action": rules[kind].action,
            "duration": duration(rules[kind].days),
            "counted_from": rules[kind].counted_from,
        }
        for kind in category.rules
        if kind in rules
    ]
    if category.kept:
        lines.insert(0, category.kept)
    if category.key == "account":
        lines.append(session_text())
    return lines


def in_use(category, schools):
    """Whether any of ``schools`` has the category's module switched on."""
    return not category.module or any(getattr(school, category.module) for school in schools)


def overview(schools):
    """[(category, retention lines, schools using it)] for ``schools``."""
    return [
        (
            category,
            retention_lines(category),
            [school for school in schools if in_use(category, [school])],
        )
        for category in CATEGORIES
    ]


def processors():
    """[(name, what it does)]: the services the data passes through, from the settings."""
    found = []
    # Django's EMAIL_HOST defaults to localhost: only an SMTP backend sends through it.
    if "smtp" in settings.EMAIL_BACKEND.lower():
        found.append(
            (
                settings.EMAIL_HOST,
                _(
                    "Mailprovider: verstuurt e-mail namens de school (adres en inhoud van elke "
                    "e-mail)."
                ),
            )
        )
    else:
        found.append(
            (
                _("Geen mailprovider ingesteld"),
                _("E-mail wordt als bestand op de server bewaard en niet verstuurd."),
            )
        )
    database = settings.DATABASES["default"]
    found.append(
        (
            database.get("HOST") or _("dezelfde server"),
            _("Database: alle gegevens van het portaal."),
        )
    )
    if getattr(settings, "REDIS_URL", ""):
        found.append(
            (
                _("Redis"),
                _("Cache, sessies en de wachtrij van taken (alleen nummers, geen namen)."),
            )
        )
    return found
