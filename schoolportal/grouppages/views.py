"""Groepspagina: the blog, photo albums and files of the groups a parent's children are in.

Every view asks ``access`` for what the parent may read; anything else answers 404.
Photos and files are streamed by these views and never have a public URL.
"""

from django.core.cache import cache
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.templatetags.static import static
from django.utils.functional import SimpleLazyObject
from django.views import View
from django.views.generic import ListView, TemplateView

from pages.models import AlbumPhoto, BlogPostPage, GroupPageFile, PhotoAlbumPage
from pages.renditions import (
    existing_rendition,
    photos_missing,
    request_album_renditions,
    request_post_renditions,
)
from schoolportal import access, privatemedia
from schoolportal.parentviews.caching import PAGE_TIMEOUT, object_fragment_key, request_version
from schoolportal.parentviews.views import GuardianRequiredMixin, private_download

# Posts on the group page itself; all of them are under "Alle blogberichten".
RECENT_POSTS = 5
# Shown where a photo's size is still being made.
PENDING_PICTURE = "img/photo-pending.svg"


class GroupPageReaderMixin(GuardianRequiredMixin):
    """Parents read a group page here, and so do its editors, to see what parents see.

    Staff are not sent to the admin as on other portal pages: the admin's "Bekijk live" leads
    here. Each view asks ``access`` which page the user may open; anything else is 404.
    """

    def admits_without_guardian(self, user):
        return access.is_staff_member(user)


def albums_with_cover(albums, user):
    """Albums with the number of photos the user sees and the first of them (the cover), in
    one query however many photos and tags they hold. An album of which the user sees no
    photo is left out: it would only say that something is hidden."""
    shown = access.photos_shown_to(user, AlbumPhoto.objects.filter(album=OuterRef("pk")))
    count = shown.order_by().values("album").annotate(count=Count("pk")).values("count")
    first_photo = shown.order_by("sort_order", "pk").values("pk")[:1]
    return albums.annotate(
        photo_count=Coalesce(Subquery(count), 0), cover_photo_id=Subquery(first_photo)
    ).filter(photo_count__gt=0)


def album_fragment_key(request, obj, group_page):
    """The key of a fragment showing album photos of ``group_page``: kept per object
    and data version as ``object_fragment_key``, and per what the photos a reader sees
    rest on (``access.album_photos_audience``), so parents who see the same photos share
    it and nobody is shown a photo withheld from them."""
    audience = access.album_photos_audience(request.user, group_page)
    return f"{object_fragment_key(request, obj)}:{audience}"


class GroupPageListView(GuardianRequiredMixin, TemplateView):
    """Groepspagina: one card per group of the parent's children."""

    template_name = "grouppages/index.html"

    def get_context_data(self, **kwargs):
        pages = access.group_pages_for(self.request.user).select_related("group__school")
        return super().get_context_data(group_pages=pages.order_by("group__lowest_year_level"))


def group_page_body(page, user):
    """What a group page (one ``access.group_page_for`` gave) shows ``user`` below its
    heading: recent posts, albums and files."""
    posts = access.published_children(page, BlogPostPage).order_by("-date", "-pk")
    recent = list(posts[: RECENT_POSTS + 1])
    albums = access.published_children(page, PhotoAlbumPage).order_by("-date", "-pk")
    return {
        "posts": recent[:RECENT_POSTS],
        "more_posts": len(recent) > RECENT_POSTS,
        "albums": albums_with_cover(albums, user),
        "files": GroupPageFile.objects.filter(page=page).select_related("document"),
    }


def writes_for(user, page):
    """Whether the user writes for the page's blog, as klassenouder of the group
    (``schoolportal.classposts``)."""
    return access.class_post_pages(user).filter(pk=page.pk).exists()


class GroupPageView(GroupPageReaderMixin, TemplateView):
    """One group's page: introduction, recent blog posts, photo albums and files."""

    template_name = "grouppages/group.html"

    def get_context_data(self, **kwargs):
        page = access.group_page_for(self.request.user, kwargs["pk"])
        if page is None:
            raise Http404
        # Below the access check the page is the same for every parent of the group who
        # sees the same album photos: the template keeps it per page, data version, photo
        # audience and language, and reads the body only when it is not kept yet.
        user = self.request.user
        return super().get_context_data(
            page=page,
            writes=writes_for(user, page),
            body_key=album_fragment_key(self.request, page, page),
            body=SimpleLazyObject(lambda: group_page_body(page, user)),
        )


class BlogView(GroupPageReaderMixin, ListView):
    """All blog posts of one group page, newest first."""

    template_name = "grouppages/blog.html"
    context_object_name = "posts"
    paginate_by = 10
    page_kwarg = "pagina"

    def get_queryset(self):
        user = self.request.user
        self.group_page = access.group_page_for(user, self.kwargs["pk"])
        if self.group_page is None:
            raise Http404
        posts = access.published_children(self.group_page, BlogPostPage)
        return posts.order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.group_page, writes=writes_for(self.request.user, self.group_page), **kwargs
        )


def pending_thumbnails(request, album):
    """The ids of the album's photos whose thumbnail the worker has not made yet (and asks
    it to). Once all were there under this data version, that is remembered: no query."""
    made_key = f"album-thumbnails-made:{album.pk}:{request_version(request)}"
    if cache.get(made_key):
        return set()
    pending = photos_missing(album.photos.all(), AlbumPhoto.SIZES["thumbnail"])
    if pending:
        request_album_renditions(album.pk)
    else:
        cache.set(made_key, True, PAGE_TIMEOUT)
    return pending


class PendingPhotosMixin:
    """A page showing a placeholder for a photo still being resized is not kept: the next
    view shows the photo."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["pending"]:
            response.page_cache_timeout = 0
        return response


class BlogPostView(PendingPhotosMixin, GroupPageReaderMixin, TemplateView):
    """One blog post with its photo, and the way back to its group page."""

    template_name = "grouppages/post.html"

    def get_context_data(self, **kwargs):
        found = access.group_page_child_for(self.request.user, BlogPostPage, kwargs["pk"])
        if found is None:
            raise Http404
        post, page = found
        pending = post.photo is not None and (
            existing_rendition(post.photo, BlogPostPage.PHOTO_SIZE) is None
        )
        if pending:
            request_post_renditions(post.pk)
        return super().get_context_data(post=post, page=page, pending=pending)


class AlbumView(PendingPhotosMixin, GroupPageReaderMixin, TemplateView):
    """A photo album: its photos as thumbnails, each opening its own photo page."""

    template_name = "grouppages/album.html"

    def get_context_data(self, **kwargs):
        found = access.group_page_child_for(self.request.user, PhotoAlbumPage, kwargs["pk"])
        if found is None:
            raise Http404
        album, page = found
        photos = access.photos_shown_to(self.request.user, album.photos.all())
        pending = pending_thumbnails(self.request, album)
        # As on the group page: kept for every parent of the group who sees the same photos,
        # read only when not kept; with placeholders it is not kept at all.
        return super().get_context_data(
            album=album,
            body_key=album_fragment_key(self.request, album, page),
            body_timeout=0 if pending else PAGE_TIMEOUT,
            photos=photos,  # the captions; the images come by their own URLs
            pending=pending,
            page=page,
        )


class PhotoPageView(PendingPhotosMixin, GroupPageReaderMixin, TemplateView):
    """One photo of an album, large, with the previous and next one and the way back."""

    template_name = "grouppages/photo.html"

    def get_context_data(self, **kwargs):
        shown = access.album_photos_for(self.request.user)
        photo = get_object_or_404(shown.select_related("album", "image"), pk=kwargs["pk"])
        # Counted and paged among the photos this reader sees: a withheld one is not there.
        order = list(shown.filter(album=photo.album_id).values_list("pk", flat=True))
        position = order.index(photo.pk)
        pending = existing_rendition(photo.image, AlbumPhoto.SIZES["large"]) is None
        if pending:
            request_album_renditions(photo.album_id)
        return super().get_context_data(
            photo=photo,
            album=photo.album,
            pending=pending,
            number=position + 1,
            total=len(order),
            previous_pk=order[position - 1] if position > 0 else None,
            next_pk=order[position + 1] if position + 1 < len(order) else None,
        )


def photo_response(image, spec, request_sizes):
    """The bytes of ``image`` in size ``spec``, read and never made here: the worker makes
    them (``pages.tasks``). A size not made yet is asked for (``request_sizes()``) and
    answered with the placeholder picture."""
    rendition = existing_rendition(image, spec)
    if rendition is None:
        request_sizes()
        response = redirect(static(PENDING_PICTURE))
        response["Cache-Control"] = "no-store"  # the photo itself next time
        return response
    # The browser may keep it as long as a cached page lives (a photo taken down must be
    # gone soon, also where it was seen), nobody in between.
    return privatemedia.serve(rendition.file, cache_control=f"private, max-age={PAGE_TIMEOUT}")


class PhotoView(GroupPageReaderMixin, View):
    """One album photo, in one of ``AlbumPhoto.SIZES``, for the album's parents only."""

    size = "large"

    def get(self, request, pk):
        photos = access.album_photos_for(request.user).select_related("image")
        photo = get_object_or_404(photos, pk=pk)
        return photo_response(
            photo.image,
            AlbumPhoto.SIZES[self.size],
            lambda: request_album_renditions(photo.album_id),
        )


class PostPhotoView(GroupPageReaderMixin, View):
    """The photo of a blog post, for the parents who may read the post only."""

    def get(self, request, pk):
        found = access.group_page_child_for(request.user, BlogPostPage, pk)
        if found is None or found[0].photo is None:
            raise Http404
        post = found[0]
        return photo_response(
            post.photo, BlogPostPage.PHOTO_SIZE, lambda: request_post_renditions(post.pk)
        )


class FileDownloadView(GroupPageReaderMixin, View):
    """A file of a group page; always a download, never shown inline from our origin."""

    def get(self, request, pk):
        group_file = get_object_or_404(
            access.group_files_for(request.user).select_related("document"), pk=pk
        )
        return private_download(group_file.document, group_file.filename)
