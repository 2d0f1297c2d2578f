"""Platform administrators maintain the national lists (console)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from case_apps.lists.data import LIST_TITLES
from case_apps.lists.forms import ListItemForm
from case_apps.lists.models import ListItem
from case_apps.lists.selectors import list_item_search
from case_apps.lists.services import list_item_save
from tenants.actor import actor_from_request
from tenants.decorators import platform_permission_required
from tenants.policy import Permission


@platform_permission_required(Permission.MANAGE_REFERENCE_LISTS)
def list_items(request: HttpRequest) -> HttpResponse:
    list_name = request.GET.get("list", "")
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(list_item_search(list_name=list_name, search=search), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lists/list_items.html",
        {
            "page": page,
            "list_name": list_name,
            "search": search,
            "titles": sorted(LIST_TITLES.items()),
        },
    )


@platform_permission_required(Permission.MANAGE_REFERENCE_LISTS)
def list_item_edit(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    item = ListItem.objects.filter(pk=item_id).first() if item_id else None
    initial = (
        {
            "list_name": item.list_name,
            "code": item.code,
            "label": item.label,
            "label_sw": item.label_sw,
            "parent_code": item.parent_code,
            "is_active": item.is_active,
        }
        if item
        else {"list_name": request.GET.get("list", ""), "is_active": True}
    )
    form = ListItemForm(request.POST or None, initial=initial)
    if item:
        form.fields["list_name"].disabled = True
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            saved = list_item_save(actor=actor_from_request(request), **form.cleaned_data)
        except ValidationError as error:
            for field_name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field_name if field_name in form.fields else None, message)
        else:
            messages.success(
                request,
                _("%(code)s “%(label)s” saved in %(list)s.")
                % {
                    "code": saved.code,
                    "label": saved.label,
                    "list": LIST_TITLES.get(saved.list_name, saved.list_name),
                },
            )
            return redirect(f"/console/lists/?list={saved.list_name}")
    return render(request, "lists/list_item_form.html", {"form": form, "item": item})
