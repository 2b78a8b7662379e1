"""How the admin looks and reads to a school's staff: its stylesheet, and no dead ends.

``admin.css`` lets the lists teachers use read on a phone (390 px) and the class list print
without the admin around it. A teacher or manager publishes the group pages they edit
themselves, and nobody at a school is in Wagtail's "Moderators" group, so Wagtail's
"Stuur door naar Moderators approval" (its default workflow, named in English) offers them
a way to send their page to nobody.
"""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_css")
def admin_stylesheet():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register("construct_page_action_menu")
def no_moderation_for_who_publishes(menu_items, request, context):
    if request.user.is_superuser:
        return
    page = context.get("page")
    if page is not None:
        publishes = page.permissions_for_user(request.user).can_publish()
    else:
        parent = context["parent_page"]
        publishes = parent.permissions_for_user(request.user).can_publish_subpage()
    if publishes:
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]
