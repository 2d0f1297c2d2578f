"""Maintaining the national reference lists."""

from __future__ import annotations

from django.db import transaction

from case_apps.lists.data import (
    CASE_CATEGORIES,
    CASE_SUB_CATEGORIES,
    INSTITUTION_LISTS,
    OVC_LISTS,
    OVC_PLAN_LISTS,
    SIMPLE_LISTS,
)
from case_apps.lists.models import ListItem
from tenants.actor import Actor
from tenants.policy import Permission


def _national_items() -> list[ListItem]:
    items = [
        ListItem(
            list_name="case_category",
            code=code,
            label=label,
            label_sw=sw,
            report_groups=list(groups),
            sort_order=i,
        )
        for i, (code, label, sw, groups) in enumerate(CASE_CATEGORIES)
    ]
    items += [
        ListItem(
            list_name="case_sub_category",
            code=code,
            label=label,
            label_sw=sw,
            parent_code=parent,
            sort_order=i,
        )
        for i, (code, label, sw, parent) in enumerate(CASE_SUB_CATEGORIES)
    ]
    for list_name, entries in {
        **SIMPLE_LISTS,
        **OVC_LISTS,
        **OVC_PLAN_LISTS,
        **INSTITUTION_LISTS,
    }.items():
        items += [
            ListItem(list_name=list_name, code=code, label=label, label_sw=sw, sort_order=i)
            for i, (code, label, sw) in enumerate(entries)
        ]
    return items


@transaction.atomic
def lists_load_national() -> int:
    """Add the national list items that are missing; never overwrite an administrator's edits.

    Returns the number of items added (0 on a second run)."""
    existing = set(ListItem.objects.values_list("list_name", "code"))
    missing = [i for i in _national_items() if (i.list_name, i.code) not in existing]
    ListItem.objects.bulk_create(missing)
    return len(missing)


@transaction.atomic
def list_item_save(
    *,
    actor: Actor,
    list_name: str,
    code: str,
    label: str,
    label_sw: str = "",
    parent_code: str = "",
    is_active: bool = True,
) -> ListItem:
    """Add or change a list item (platform administrators). A new code is upper-case; an
    existing one keeps its CPIMS spelling (some OVC codes are lower-case words)."""
    actor.require(Permission.MANAGE_REFERENCE_LISTS)
    code = code.strip()
    item = ListItem.objects.filter(list_name=list_name, code=code).first()
    if item is None:
        code = code.upper()
        item = ListItem.objects.filter(list_name=list_name, code=code).first() or ListItem(
            list_name=list_name, code=code
        )
    item.label, item.label_sw, item.parent_code, item.is_active = (
        label.strip(),
        label_sw.strip(),
        parent_code.strip().upper(),
        is_active,
    )
    item.full_clean()
    item.save()
    return item
