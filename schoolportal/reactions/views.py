"""Reacties under a blog post, in the portal: write, change, delete, hide, follow, photo.

Every view asks ``access`` first and answers 404 for anything the user may not reach.
A GET never changes anything: the actions that are buttons on the post page (hide,
follow) lead back to the post when opened by address.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from forms.reactions import ReactionEditForm, ReactionForm
from schoolportal import access
from schoolportal.grouppages.views import GroupPageReaderMixin, photo_response

from . import writing
from .models import EDIT_WINDOW
from .tasks import PHOTO_SIZE


def post_url(post, reaction=None):
    url = reverse("grouppages:post", args=[post.pk])
    return f"{url}#reactie-{reaction.pk}" if reaction is not None else f"{url}#reacties"


def found_or_404(found):
    if found is None:
        raise Http404
    return found


class ReactView(GroupPageReaderMixin, TemplateView):
    """The form under a post, on a page of its own when it needs saying again (an error)."""

    template_name = "reactions/react.html"

    def found(self):
        return found_or_404(access.reactable_post_for(self.request.user, self.kwargs["pk"]))

    def get(self, request, *args, **kwargs):
        post, page = self.found()
        return self.render_to_response({"post": post, "page": page, "form": ReactionForm()})

    def post(self, request, *args, **kwargs):
        post, page = self.found()
        form = ReactionForm(request.POST, request.FILES)
        photo = None
        if form.is_valid() and form.cleaned_data["photo"]:
            photo, errors = writing.store_photo(form.cleaned_data["photo"], page, request.user)
            for error in errors:
                form.add_error(
                    "photo", _("De foto is niet geplaatst: %(reason)s") % {"reason": error}
                )
        if not form.is_valid():
            return self.render_to_response({"post": post, "page": page, "form": form}, status=400)
        reaction = writing.create(
            request.user,
            post,
            page,
            form.cleaned_data["text"],
            photo=photo,
            photo_description=form.cleaned_data["photo_description"],
        )
        messages.success(request, _("Uw reactie is geplaatst."))
        return redirect(post_url(post, reaction))


class EditView(GroupPageReaderMixin, TemplateView):
    """The author changes their text, for ``EDIT_WINDOW`` after placing it."""

    template_name = "reactions/edit.html"

    def found(self):
        return found_or_404(access.own_reaction_for(self.request.user, self.kwargs["pk"]))

    def get(self, request, *args, **kwargs):
        reaction, post, page = self.found()
        if not reaction.still_editable():
            messages.error(request, self.window_closed())
            return redirect(post_url(post, reaction))
        form = ReactionEditForm(initial={"text": reaction.text})
        return self.render_to_response(self.context(reaction, post, page, form))

    def post(self, request, *args, **kwargs):
        reaction, post, page = self.found()
        form = ReactionEditForm(request.POST)
        if form.is_valid():
            if writing.change_text(reaction, form.cleaned_data["text"]):
                messages.success(request, _("Uw reactie is gewijzigd."))
                return redirect(post_url(post, reaction))
            form.add_error(None, self.window_closed())
        return self.render_to_response(self.context(reaction, post, page, form), status=400)

    def context(self, reaction, post, page, form):
        return {"reaction": reaction, "post": post, "page": page, "form": form}

    def window_closed(self):
        return _(
            "Deze reactie kan niet meer worden gewijzigd: dat kan tot %(minutes)d minuten na "
            "het plaatsen. U kunt de reactie wel verwijderen."
        ) % {"minutes": EDIT_WINDOW.seconds // 60}


class DeleteView(GroupPageReaderMixin, TemplateView):
    """The author deletes their reaction; the group page's editors delete any."""

    template_name = "reactions/delete.html"

    def found(self):
        return found_or_404(access.removable_reaction_for(self.request.user, self.kwargs["pk"]))

    def get(self, request, *args, **kwargs):
        reaction, post, page = self.found()
        return self.render_to_response({"reaction": reaction, "post": post, "page": page})

    def post(self, request, *args, **kwargs):
        reaction, post, _page = self.found()
        writing.delete(reaction)
        messages.success(request, _("De reactie is verwijderd."))
        return redirect(post_url(post))


class HideView(GroupPageReaderMixin, View):
    """The group page's editors hide a reaction from parents, or show it again."""

    def get(self, request, pk):
        reaction, post, _page = found_or_404(access.reaction_for(request.user, pk))
        return redirect(post_url(post, reaction))

    def post(self, request, pk):
        reaction, post, _page = found_or_404(access.moderated_reaction_for(request.user, pk))
        hide = request.POST.get("action") != "show"
        writing.set_hidden(reaction, request.user, hide)
        if hide:
            messages.success(request, _("De reactie is verborgen voor ouders."))
        else:
            messages.success(request, _("De reactie is weer zichtbaar voor ouders."))
        return redirect(post_url(post, reaction))


class FollowView(GroupPageReaderMixin, View):
    """Follow a post: an e-mail about its new reactions, at most one an hour."""

    def get(self, request, pk):
        post, _page = found_or_404(access.reactable_post_for(request.user, pk))
        return redirect(post_url(post))

    def post(self, request, pk):
        post, _page = found_or_404(access.reactable_post_for(request.user, pk))
        follow = request.POST.get("follow") != "0"
        writing.set_following(request.user, post, follow)
        if follow:
            messages.success(
                request, _("U volgt dit bericht: u krijgt een e-mail als er nieuwe reacties zijn.")
            )
        else:
            messages.success(request, _("U volgt dit bericht niet meer."))
        return redirect(post_url(post))


class PhotoView(GroupPageReaderMixin, View):
    """A reaction's photo, for whoever sees the reaction; never from a public URL."""

    def get(self, request, pk):
        reaction, _post, _page = found_or_404(access.reaction_for(request.user, pk))
        if reaction.photo_id is None:
            raise Http404
        return photo_response(
            reaction.photo, PHOTO_SIZE, lambda: writing.request_renditions(reaction.pk)
        )
