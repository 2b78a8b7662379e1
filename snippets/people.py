"""Admin screens for the school structure and its people."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from schoolportal.consent.models import ConsentChannel
from schoolportal.consent.recording import save_with_consent_history
from schoolportal.people.models import (
    Babysitter,
    Group,
    Guardian,
    Pupil,
    School,
    SchoolYear,
    StaffMember,
)

from .accesslog import AccessLoggedMixin
from .scoping import SchoolScopedForm
from .viewsets import PlainEditView, PlainInspectView, PlainViewSet

ADDRESS_PANEL = MultiFieldPanel(
    [
        FieldRowPanel([FieldPanel("street"), FieldPanel("house_number")]),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
    ],
    heading=_("Adres"),
)


def scoped(panels):
    return ObjectList(panels, base_form_class=SchoolScopedForm)


class SchoolViewSet(PlainViewSet):
    model = School
    icon = "home"
    menu_label = _("Scholen")
    list_display = ["name", "brin", "city", "phone"]
    search_fields = ["name", "brin", "city"]
    edit_handler = scoped(
        [
            MultiFieldPanel([FieldPanel("name"), FieldPanel("brin")], heading=_("School")),
            ADDRESS_PANEL,
            MultiFieldPanel(
                [
                    FieldPanel("phone"),
                    FieldPanel("email"),
                    FieldPanel("website"),
                    FieldPanel("support_text"),
                ],
                heading=_("Contact voor ouders"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("results_enabled"),
                    FieldPanel("group_pages_enabled"),
                    FieldPanel("reactions_enabled"),
                    FieldPanel("absences_enabled"),
                    FieldPanel("lunch_enabled"),
                    FieldPanel("lunch_cutoff"),
                    FieldPanel("interviews_enabled"),
                ],
                heading=_("Modules"),
            ),
        ]
    )


class SchoolYearViewSet(PlainViewSet):
    model = SchoolYear
    icon = "date"
    menu_label = _("Schooljaren")
    list_display = ["name", "school", "start_date", "end_date"]
    list_filter = ["school"]
    search_fields = ["name"]
    edit_handler = scoped(
        [
            FieldPanel("school"),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        ]
    )


class GroupViewSet(PlainViewSet):
    model = Group
    icon = "group"
    menu_label = _("Groepen")
    list_display = ["name", "school_year", "school"]
    list_filter = ["school", "school_year", "lowest_year_level"]
    search_fields = ["name"]
    edit_handler = scoped(
        [
            FieldRowPanel([FieldPanel("school"), FieldPanel("school_year")]),
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("lowest_year_level"), FieldPanel("highest_year_level")]),
            FieldPanel("teachers"),
            InlinePanel("class_parents", heading=_("Klassenouders"), label=_("klassenouder")),
        ]
    )


class ConsentHistoryMixin:
    """Staff changing a pupil's photo consent leave a history row, like parents do."""

    def save_instance(self):
        return save_with_consent_history(
            self.form.instance, super().save_instance, self.request.user, ConsentChannel.ADMIN
        )


class PupilEditView(AccessLoggedMixin, ConsentHistoryMixin, PlainEditView):
    pass


class PupilCreateView(AccessLoggedMixin, ConsentHistoryMixin, snippet_views.CreateView):
    pass


class PersonInspectView(AccessLoggedMixin, PlainInspectView):
    pass


class GuardianEditView(AccessLoggedMixin, PlainEditView):
    pass


class GuardianCreateView(AccessLoggedMixin, snippet_views.CreateView):
    pass


class PupilInspectView(PersonInspectView):
    """A pupil's guardians are named with their relation, and "zonder gezag" where the school
    recorded no parental authority: staff see at a glance who may act for the child."""

    def get_field_label(self, field_name, field):
        if field_name == "guardianships":
            return _("Ouders/verzorgers")
        return super().get_field_label(field_name, field)

    def get_guardianships_display_value(self):
        pairs = self.object.guardianships.select_related("guardian").order_by("pk")
        return "; ".join(
            (
                _("%(guardian)s (%(relation)s)")
                if pair.has_parental_authority
                else _("%(guardian)s (%(relation)s, zonder gezag)")
            )
            % {"guardian": pair.guardian, "relation": pair.get_relation_display()}
            for pair in pairs
        )


class PupilViewSet(PlainViewSet):
    model = Pupil
    add_view_class = PupilCreateView
    edit_view_class = PupilEditView
    inspect_view_class = PupilInspectView
    icon = "user"
    menu_label = _("Leerlingen")
    # The name as the column's title: "Leerling" (the property would be headed "Full name").
    list_display = [
        "__str__",
        "pupil_number",
        "group",
        "date_of_birth",
        "left_on",
        "updated_at",
        "updated_by",
    ]
    list_filter = ["school", "group", "left_on"]
    search_fields = ["first_name", "infix", "last_name", "pupil_number"]
    list_per_page = 50
    inspect_view_fields = [
        "pupil_number",
        "first_name",
        "infix",
        "last_name",
        "date_of_birth",
        "school",
        "group",
        "left_on",
        "street",
        "house_number",
        "postcode",
        "city",
        "medical_notes",
        "allergies",
        "photo_consent_group_page",
        "photo_consent_website",
        "photo_consent_social_media",
        "guardianships",
        "updated_at",
        "updated_by",
    ]
    edit_handler = scoped(
        [
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("infix"), FieldPanel("last_name")]),
            FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("pupil_number")]),
            FieldRowPanel([FieldPanel("school"), FieldPanel("group")]),
            FieldPanel("left_on"),
            ADDRESS_PANEL,
            MultiFieldPanel(
                [FieldPanel("medical_notes"), FieldPanel("allergies")],
                heading=_("Medisch (alleen voor school)"),
            ),
            InlinePanel("emergency_contacts", heading=_("Noodcontacten"), label=_("noodcontact")),
            MultiFieldPanel(
                [
                    FieldPanel("photo_consent_group_page"),
                    FieldPanel("photo_consent_website"),
                    FieldPanel("photo_consent_social_media"),
                ],
                heading=_("Toestemming foto's"),
            ),
        ]
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group", "school", "updated_by")


class GuardianViewSet(PlainViewSet):
    model = Guardian
    add_view_class = GuardianCreateView
    edit_view_class = GuardianEditView
    inspect_view_class = PersonInspectView
    icon = "user"
    menu_label = _("Ouders/verzorgers")
    list_display = ["__str__", "email", "phone", "updated_at", "updated_by"]
    search_fields = ["first_name", "infix", "last_name", "email"]
    list_filter = ["address_hidden", "phone_hidden"]
    list_per_page = 50
    edit_handler = scoped(
        [
            FieldRowPanel([FieldPanel("first_name"), FieldPanel("infix"), FieldPanel("last_name")]),
            MultiFieldPanel(
                [
                    FieldPanel("email"),
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("mobile_phone")]),
                ],
                heading=_("Contact"),
            ),
            ADDRESS_PANEL,
            MultiFieldPanel(
                [
                    FieldPanel("address_hidden"),
                    FieldPanel("phone_hidden"),
                    FieldPanel("mobile_phone_hidden"),
                    FieldPanel("email_hidden"),
                ],
                heading=_("Verborgen voor andere ouders"),
            ),
            InlinePanel(
                "guardianships",
                heading=_("Kinderen"),
                label=_("kind"),
                min_num=0,
                panels=[
                    FieldRowPanel([FieldPanel("pupil"), FieldPanel("relation")]),
                    FieldPanel("has_parental_authority"),
                ],
            ),
        ]
    )

    inspect_view_fields = [
        "first_name",
        "infix",
        "last_name",
        "email",
        "phone",
        "mobile_phone",
        "street",
        "house_number",
        "postcode",
        "city",
        "address_hidden",
        "phone_hidden",
        "mobile_phone_hidden",
        "email_hidden",
        "user",
        "updated_at",
        "updated_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "updated_by")


class StaffMemberViewSet(PlainViewSet):
    model = StaffMember
    icon = "user"
    menu_label = _("Medewerkers")
    list_display = ["display_name", "role", "school", "email"]
    list_filter = ["school", "role"]
    search_fields = ["display_name", "email"]
    edit_handler = scoped(
        [FieldPanel("school"), FieldPanel("display_name"), FieldPanel("email"), FieldPanel("role")]
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "school")


class BabysitterViewSet(PlainViewSet):
    """Staff and teachers look up a family's babysitter in an emergency."""

    model = Babysitter
    icon = "user"
    menu_label = _("Oppassen")
    list_display = ["name", "phone", "guardian"]
    search_fields = ["name", "guardian__first_name", "guardian__last_name"]
    edit_handler = scoped(
        [FieldPanel("guardian"), FieldPanel("name"), FieldPanel("phone"), FieldPanel("notes")]
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("guardian")


class PeopleViewSetGroup(SnippetViewSetGroup):
    menu_label = _("School")
    menu_icon = "group"
    menu_order = 200
    items = (
        SchoolViewSet,
        SchoolYearViewSet,
        GroupViewSet,
        PupilViewSet,
        GuardianViewSet,
        BabysitterViewSet,
        StaffMemberViewSet,
    )
