"""``{% reactions_under post page %}``: the reactions and the form below a blog post.

The post's template asks for them here, so the group pages' views know nothing of
reactions; three queries (moderator?, the reactions, following?) however many there are.
"""

from django import template
from django.utils import timezone

from forms.reactions import ReactionForm
from schoolportal import access
from schoolportal.reactions import writing

register = template.Library()


@register.inclusion_tag("reactions/includes_reactions.html", takes_context=True)
def reactions_under(context, post, page):
    user = context["request"].user
    if not access.reactions_switched_on(post, page):
        return {"enabled": False}
    moderator = access.may_moderate(user, page)
    reactions = list(access.post_reactions(user, post, page, moderator=moderator))
    now = timezone.now()
    for reaction in reactions:
        reaction.may_edit, reaction.may_delete = access.reaction_rights(
            user, reaction, moderator, now
        )
    return {
        "enabled": True,
        "post": post,
        "reactions": reactions,
        "moderator": moderator,
        "form": ReactionForm(),
        "following": writing.is_following(user, post),
    }
