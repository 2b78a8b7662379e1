from wagtail.admin.forms import WagtailAdminPageForm


class GroupContentPageForm(WagtailAdminPageForm):
    """Photos and files are chosen from what the editor may see.

    Wagtail's choosers only list those, but the form fields would accept any id: a forged
    one (another school's photo or mailing attachment) would reach this group's parents.
    Restricting the fields' querysets refuses it like any invalid choice.
    """

    chosen_from = {"photos": ("image", "staff_images"), "files": ("document", "staff_documents")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from schoolportal import access  # access imports the page models

        if self.for_user is None:
            return
        for relation, (field, rule) in self.chosen_from.items():
            formset = self.formsets.get(relation)
            if formset is None:
                continue
            allowed = getattr(access, rule)(self.for_user)
            for form in [*formset.forms, formset.empty_form]:
                form.fields[field].queryset = allowed
