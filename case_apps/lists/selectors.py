"""Reading the national reference lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from case_apps.lists.models import ListItem


def list_choices_bulk(list_names: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Active (code, label) choices of several lists in one query, in display order."""
    choices: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in ListItem.objects.filter(list_name__in=list(list_names), is_active=True):
        choices[item.list_name].append((item.code, item.display_label))
    return choices


def list_labels(list_name: str) -> dict[str, str]:
    """code -> label for one list, inactive items included (old records keep their labels)."""
    return {i.code: i.display_label for i in ListItem.objects.filter(list_name=list_name)}


def list_labels_bulk(list_names: Iterable[str]) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for item in ListItem.objects.filter(list_name__in=list(list_names)):
        labels[item.list_name][item.code] = item.display_label
    return labels


def sub_categories_by_category() -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in ListItem.objects.filter(list_name="case_sub_category", is_active=True):
        grouped[item.parent_code].append((item.code, item.display_label))
    return grouped


def list_item_search(*, list_name: str = "", search: str = "") -> QuerySet[ListItem]:
    queryset = ListItem.objects.all()
    if list_name:
        queryset = queryset.filter(list_name=list_name)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(label__icontains=search) | Q(label_sw__icontains=search)
        )
    return queryset
