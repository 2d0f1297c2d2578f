from django import forms
from django.utils.translation import gettext_lazy as _

from case_apps.lists.data import LIST_TITLES


class ListItemForm(forms.Form):
    list_name = forms.ChoiceField(label=_("List"), choices=sorted(LIST_TITLES.items()))
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z0-9_]{2,16}$",
        max_length=16,
        error_messages={"invalid": _("2 to 16 letters, digits or underscores.")},
    )
    label = forms.CharField(label=_("Label (English)"), max_length=200)
    label_sw = forms.CharField(label=_("Label (Kiswahili)"), max_length=200, required=False)
    parent_code = forms.CharField(label=_("Parent code (sub-lists)"), max_length=16, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
