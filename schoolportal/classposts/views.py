"""Klassenouders write for their group's blog: "Bericht schrijven" and "Mijn berichten".

Only a klassenouder of the group reaches the form (``access.class_post_page_for``), and only
the author reaches a post of theirs (``access.own_class_post_for``); anything else is 404.
These pages show the post's latest revision, which other parents never see: their blog
reads only what the teacher published.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from forms.classposts import ClassPostForm
from pages.models import BlogPostPage
from pages.renditions import existing_rendition, request_photo_size
from schoolportal import access
from schoolportal.grouppages.views import photo_response
from schoolportal.mailings.text import html_to_text
from schoolportal.parentviews.views import GuardianRequiredMixin

from . import writing


class ClassPostMixin(GuardianRequiredMixin):
    """Pages for klassenouders of a group whose school uses group pages; 404 for others."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.class_post_pages(request.user).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def own_post(self, pk):
        post = access.own_class_post_for(self.request.user, pk)
        if post is None:
            raise Http404
        return post


class WritePostView(ClassPostMixin, FormView):
    """ "Bericht schrijven" (a new post for group page ``pk``), or with ``editing`` changes
    to one's post ``pk``: saved as a draft, sent to the teacher with "Ter goedkeuring
    aanbieden"."""

    template_name = "classposts/write.html"
    form_class = ClassPostForm
    editing = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.post_state = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if self.editing:
                post = access.own_class_post_for(request.user, kwargs["pk"])
                self.post_state = post and writing.state_of(post)
                if self.post_state is None or not self.post_state.editable:
                    raise Http404
                self.group_page = post.get_parent().specific
            else:
                self.group_page = access.class_post_page_for(request.user, kwargs.get("pk"))
                if self.group_page is None:
                    raise Http404
        return super().dispatch(request, *args, **kwargs)

    def draft(self):
        return self.post_state.post.get_latest_revision_as_object() if self.post_state else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        draft = self.draft()
        kwargs["has_photo"] = draft is not None and draft.photo_id is not None
        if draft is not None:
            kwargs["initial"] = {
                "title": draft.title,
                "text": html_to_text(draft.body).strip(),
                "photo_caption": draft.photo_caption,
            }
        return kwargs

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        with transaction.atomic():
            photo = form.store_photo(self.group_page.collection_id, self.request.user)
            if form.errors:
                transaction.set_rollback(True)
                return self.form_invalid(form)
            post = writing.save_post(
                self.group_page,
                self.guardian,
                self.request.user,
                post=self.post_state.post if self.post_state else None,
                title=form.cleaned_data["title"],
                body=form.body_html(),
                photo=photo,
                caption=form.cleaned_data["photo_caption"].strip(),
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
            if self.request.POST.get("action") == "submit":
                writing.submit(post, self.request.user)
                messages.success(
                    self.request,
                    _("Uw bericht wacht op goedkeuring van de leerkracht."),
                )
            else:
                writing.withdraw(post, self.request.user)
                messages.success(self.request, _("Uw bericht is opgeslagen als concept."))
        return redirect("classposts:own_post", pk=post.pk)

    def get_context_data(self, **kwargs):
        if self.post_state is not None:
            cancel = reverse("classposts:own_post", args=[self.post_state.post.pk])
        else:
            cancel = reverse("grouppages:blog", args=[self.group_page.pk])
        return super().get_context_data(
            group_page=self.group_page,
            state=self.post_state,
            draft=self.draft(),
            cancel_url=cancel,
            **kwargs,
        )


class OwnPostsView(ClassPostMixin, TemplateView):
    """ "Mijn berichten": every post the klassenouder wrote, with its state."""

    template_name = "classposts/own_posts.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        posts = access.own_class_posts(user).order_by("-latest_revision_created_at", "-pk")
        pages = access.class_post_pages(user).select_related("group").order_by("group__name")
        return super().get_context_data(states=writing.states_of(posts), pages=pages, **kwargs)


class OwnPostView(ClassPostMixin, TemplateView):
    """One of the klassenouder's posts as parents will see it, with its state and the
    teacher's comment; sent to the teacher or deleted from here."""

    template_name = "classposts/own_post.html"

    def get_context_data(self, **kwargs):
        state = writing.state_of(self.own_post(kwargs["pk"]))
        draft = state.post.get_latest_revision_as_object()
        return super().get_context_data(
            state=state,
            draft=draft,
            pending=preview_pending(draft),
            group_page=state.post.get_parent().specific,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        state = writing.state_of(self.own_post(kwargs["pk"]))
        action = request.POST.get("action")
        if not state.editable or action not in ("submit", "delete"):
            raise Http404
        with transaction.atomic():
            if action == "submit":
                writing.submit(state.post, request.user)
                messages.success(request, _("Uw bericht wacht op goedkeuring van de leerkracht."))
                return redirect("classposts:own_post", pk=state.post.pk)
            writing.delete(state.post, request.user)
        messages.success(request, _("Het bericht is verwijderd."))
        return redirect("classposts:own_posts")


class OwnPostPhotoView(ClassPostMixin, View):
    """The photo of the klassenouder's own post as it is now, for its author only."""

    def get(self, request, pk):
        draft = self.own_post(pk).get_latest_revision_as_object()
        if draft.photo_id is None:
            raise Http404
        return photo_response(
            draft.photo,
            BlogPostPage.PHOTO_SIZE,
            lambda: request_photo_size(draft.photo_id),
        )


def preview_pending(draft):
    return draft.photo_id is not None and (
        existing_rendition(draft.photo, BlogPostPage.PHOTO_SIZE) is None
    )
