"""The number of unread messages a parent's menu shows, kept per user in the cache.

Every cached page carries the menu, so the count is part of what a user's pages rest on:
a message to them or their reading one forgets their pages (``forget_user_pages``) and
with them this count, which is keyed on the same per-user generation.
"""

from django.core.cache import cache

from schoolportal import access
from schoolportal.parentviews.caching import PAGE_TIMEOUT, user_pages_generation


def unread_count(user):
    key = f"conversations-unread:{user.pk}:{user_pages_generation(user.pk)}"
    count = cache.get(key)
    if count is None:
        count = access.unread_messages(user, access.GUARDIAN_ROLE).count()
        cache.set(key, count, PAGE_TIMEOUT)
    return count


class MenuCounts:
    """The menu's counts by name, each read only when an item shows it."""

    def __init__(self, user):
        self.user = user

    def __getitem__(self, name):
        if name == "unread_messages":
            return unread_count(self.user)
        raise KeyError(name)
