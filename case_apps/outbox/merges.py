"""A merge of registry persons (or its undoing) restates the facts about them in every
organisation that holds records on them: one task per organisation, in its own schema."""

from __future__ import annotations

from django.db import transaction


def on_person_merge_saved(sender, instance, **kwargs) -> None:
    """``post_save`` of ``shared_registry.PersonMerge``: written on merge and on undo."""
    from shared_registry.models import PersonLink
    from tenants.models import Organisation

    person_ids = sorted(
        {instance.survivor_id, instance.merged_id}
        | set((instance.survivor_before or {}).get("_repointed", []))
    )
    organisation_ids = PersonLink.objects.filter(person_id__in=person_ids).values("organisation_id")
    schemas = list(
        Organisation.objects.filter(pk__in=organisation_ids).values_list("schema_name", flat=True)
    )

    def queue() -> None:
        from case_apps.outbox.tasks import restate_persons_task

        for schema in schemas:
            restate_persons_task.apply_async(args=[person_ids], headers={"_schema_name": schema})

    transaction.on_commit(queue)
