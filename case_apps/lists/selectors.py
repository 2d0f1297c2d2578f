"""Reading the national reference lists."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from case_apps.lists.models import ListItem

CACHE_SECONDS = 60.0
_cache: dict[str, tuple[float, list[tuple[str, str, str, str, str, bool]]]] = {}
_by_language: dict[str, tuple[list, dict[str, dict[str, str]]]] = {}  # built from the items
_lock = threading.Lock()


def _all_items() -> list[tuple[str, str, str, str, str, bool]]:
    """Every list item as (list, code, label, label_sw, parent, active), cached in-process.

    The lists change rarely (national administrators); a change clears this process's
    cache at once and other processes' within CACHE_SECONDS."""
    entry = _cache.get("items")
    if entry is not None and entry[0] > time.monotonic():
        return entry[1]
    items = list(
        ListItem.objects.order_by("list_name", "sort_order", "label").values_list(
            "list_name", "code", "label", "label_sw", "parent_code", "is_active"
        )
    )
    with _lock:
        _cache["items"] = (time.monotonic() + CACHE_SECONDS, items)
    return items


def clear_list_cache(**kwargs) -> None:
    with _lock:
        _cache.clear()
        _by_language.clear()


post_save.connect(clear_list_cache, sender=ListItem, dispatch_uid="lists_cache_save")
post_delete.connect(clear_list_cache, sender=ListItem, dispatch_uid="lists_cache_delete")


def _label(label: str, label_sw: str) -> str:
    return label_sw if label_sw and translation.get_language() == "sw" else label


def list_choices_bulk(list_names: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Active (code, label) choices of several lists in one query, in display order."""
    wanted = set(list_names)
    choices: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for list_name, code, label, label_sw, _parent, active in _all_items():
        if active and list_name in wanted:
            choices[list_name].append((code, _label(label, label_sw)))
    return choices


def list_labels(list_name: str) -> dict[str, str]:
    """code -> label for one list, inactive items included (old records keep their labels)."""
    return list_labels_bulk([list_name])[list_name]


def _labels_by_list() -> dict[str, dict[str, str]]:
    """list -> code -> label in the current language, built once per refresh of the items
    (a service checking its codes reads a few lists, not every item)."""
    items = _all_items()
    language = translation.get_language() or ""
    entry = _by_language.get(language)
    if entry is not None and entry[0] is items:
        return entry[1]
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for list_name, code, label, label_sw, _parent, _active in items:
        labels[list_name][code] = _label(label, label_sw)
    with _lock:
        _by_language[language] = (items, labels)
    return labels


def list_labels_bulk(list_names: Iterable[str]) -> dict[str, dict[str, str]]:
    """code -> label of several lists, inactive items included."""
    every = _labels_by_list()
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for list_name in set(list_names):
        if list_name in every:
            labels[list_name] = dict(every[list_name])
    return labels


def sub_categories_by_category() -> dict[str, list[tuple[str, str]]]:
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for list_name, code, label, label_sw, parent, active in _all_items():
        if list_name == "case_sub_category" and active:
            grouped[parent].append((code, _label(label, label_sw)))
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
