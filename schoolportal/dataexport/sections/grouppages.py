"""What the parent wrote on the group pages: reactions under blog posts, and the posts they
follow. Two queries, whatever the number of reactions."""

from django.utils.translation import gettext as _

from schoolportal import access

from .base import Section, Table


def reactions(user):
    written = access.exported_reactions(user).select_related("post").order_by("created_at", "pk")
    followed = access.exported_followed_posts(user).select_related("post").order_by("created_at")
    return Section(
        "reactions",
        _("Reacties op groepspagina's"),
        tables=[
            Table(
                _("Uw reacties"),
                [
                    ("post", _("Blogbericht")),
                    ("created_at", _("Geplaatst op")),
                    ("edited_at", _("Gewijzigd op")),
                    ("text", _("Reactie")),
                    ("photo_description", _("Foto")),
                    ("hidden", _("Verborgen door de school")),
                ],
                [
                    {
                        "post": reaction.post.title,
                        "created_at": reaction.created_at,
                        "edited_at": reaction.edited_at,
                        "text": reaction.text,
                        "photo_description": reaction.photo_description,
                        "hidden": reaction.hidden_at is not None,
                    }
                    for reaction in written
                ],
            ),
            Table(
                _("Berichten die u volgt"),
                [("post", _("Blogbericht")), ("since", _("Volgt sinds"))],
                [{"post": follow.post.title, "since": follow.created_at} for follow in followed],
            ),
        ],
    )
