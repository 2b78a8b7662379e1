"""Reacties in the admin: the reactions on the group pages a staff member edits, newest
first, to hide, show again or delete (the same as on the post page in the portal).

``access.moderated_reactions`` is the scope: a teacher the groups they teach, management
and administration every group of their school; another reaction's id answers 404.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem

from schoolportal import access
from schoolportal.reactions import writing

from .screens import AdminScreen

SHOWN = 100


class ReactionsView(AdminScreen, TemplateView):
    template_name = "snippets/reactions.html"
    page_title = gettext_lazy("Reacties")
    header_icon = "comment"

    def get_context_data(self, **kwargs):
        reactions = (
            access.moderated_reactions(self.request.user)
            .select_related("post")
            .order_by("-created_at", "-pk")
        )
        return super().get_context_data(reactions=reactions[:SHOWN], shown=SHOWN, **kwargs)


def moderated(request, pk):
    return get_object_or_404(access.moderated_reactions(request.user).select_related("post"), pk=pk)


class ReactionHideView(AdminScreen, TemplateView):
    """Hide a reaction from parents, or show it again; a GET only leads back."""

    def get(self, request, pk):
        moderated(request, pk)
        return redirect("reactions_admin")

    def post(self, request, pk):
        reaction = moderated(request, pk)
        hide = request.POST.get("action") != "show"
        writing.set_hidden(reaction, request.user, hide)
        if hide:
            messages.success(request, gettext("De reactie is verborgen voor ouders."))
        else:
            messages.success(request, gettext("De reactie is weer zichtbaar voor ouders."))
        return redirect("reactions_admin")


class ReactionDeleteView(AdminScreen, TemplateView):
    template_name = "snippets/reaction_delete.html"
    page_title = gettext_lazy("Reactie verwijderen")
    header_icon = "bin"

    def get_trail(self):
        return [(gettext_lazy("Reacties"), reverse("reactions_admin"))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(reaction=moderated(self.request, self.kwargs["pk"]))

    def post(self, request, pk):
        writing.delete(moderated(request, pk))
        messages.success(request, gettext("De reactie is verwijderd."))
        return redirect("reactions_admin")


def urls():
    return [
        path("reacties/", ReactionsView.as_view(), name="reactions_admin"),
        path("reacties/<int:pk>/verbergen/", ReactionHideView.as_view(), name="reactions_hide"),
        path(
            "reacties/<int:pk>/verwijderen/", ReactionDeleteView.as_view(), name="reactions_delete"
        ),
    ]


class ReactionsMenuItem(MenuItem):
    """Only for staff who edit a group page."""

    def is_shown(self, request):
        return access.is_staff_member(request.user)


def menu_item():
    return ReactionsMenuItem(
        gettext_lazy("Reacties"), reverse("reactions_admin"), icon_name="comment", order=212
    )
