"""Writes of national statistics: export jobs and the DHIS2 mapping."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from audit.services import access_record
from cpims.db_router import lagging_reads
from national_statistics import exports, reports
from national_statistics.audience import Audience, audience_of_export, shows_small_counts
from national_statistics.definitions import (
    REPORTS,
    ComputedReport,
    dhis2_period_check,
    report_build,
)
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind, ExportJob, ExportStatus
from national_statistics.selectors import StatisticsScope
from tenants.actor import Actor
from tenants.policy import Permission

KEY_MAX = 80
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "adx": "xml"}


def export_job_create(
    *,
    actor: Actor,
    export_format: str,
    month_from: date,
    month_to: date,
    county: str = "",
    sub_county: str = "",
    report: str = "case_load_summary",
    internal: bool = False,
    reason: str = "",
    period: str = "",
) -> ExportJob:
    """Queue an export of a standard report for a scope and period as this actor: a member
    exports their organisation's figures, a platform reader the nation's, a county's or a
    sub-county's. The audience is decided here (national_statistics.audience): published
    (small counts hidden) unless ``internal`` is asked by a reader who may see the figures
    unsuppressed; an analyst's unsuppressed export is logged with its reason."""
    organisation = actor.organisation
    actor.require(Permission.VIEW_CASES if organisation else Permission.VIEW_NATIONAL_STATISTICS)
    if organisation is not None:
        county = sub_county = ""  # an organisation exports its own figures
    scope = StatisticsScope(
        county=county,
        sub_county=sub_county if county else "",
        organisation_id=organisation.pk if organisation else None,
    )
    audience = audience_of_export(
        actor.user,
        scope=scope,
        export_format=export_format,
        internal=internal,
        reason=reason,
        organisation=organisation,
        membership=actor.membership,
    )
    requested_by = actor.user
    if report not in REPORTS:
        raise ValidationError({"report": ["Choose a report."]})
    if export_format not in EXTENSIONS:
        raise ValidationError({"export_format": ["Choose CSV, Excel, DHIS2 JSON or ADX."]})
    definition = REPORTS[report]
    if isinstance(definition, ComputedReport) and definition.check_period:
        try:
            definition.check_period(month_from, month_to)
        except ValueError as error:
            raise ValidationError({"report": [str(error)]}) from None
    if export_format in ("json", "adx"):
        try:
            exports.dhis2_period(month_from, month_to)
            dhis2_period_check(report, month_from, month_to)
        except exports.ExportError as error:
            raise ValidationError({"export_format": [str(error)]}) from None
    job = ExportJob.objects.create(
        requested_by=requested_by,
        organisation=organisation,
        county=county,
        sub_county=sub_county,
        month_from=month_from,
        month_to=month_to,
        export_format=export_format,
        report=report,
        audience=audience,
        reason=reason.strip() if audience == Audience.INTERNAL else "",
        period=period,
    )
    if audience == Audience.INTERNAL:
        access_record(
            actor=requested_by,
            record_kind="statistics_export",
            record_id=job.pk,
            purpose=f"unsuppressed {report} {export_format}: {job.reason}",
        )
    return job


def _progress(job: ExportJob, status: str, progress: int, **fields) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=status, progress=progress, **fields)


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the file: report from facts, suppression, format; progress recorded as it goes."""
    _progress(job, ExportStatus.RUNNING, 10)
    try:
        scope = StatisticsScope(
            county=job.county, sub_county=job.sub_county, organisation_id=job.organisation_id
        )
        with lagging_reads():  # figures may lag: from the read replica when there is one
            report = report_build(job.report, scope, job.month_from, job.month_to)
        _progress(job, ExportStatus.RUNNING, 50)
        audience = job.audience if job.export_format in ("csv", "xlsx") else Audience.PUBLISHED
        released = reports.release(report, audience)
        _progress(job, ExportStatus.RUNNING, 70)
        note = "" if shows_small_counts(audience) else exports.SUPPRESSION_NOTE
        if job.export_format == "csv":
            content = exports.to_csv(released)
        elif job.export_format == "xlsx":
            content = exports.to_xlsx(released)
        else:
            org_unit = exports.dhis2_org_unit(job)
            writer = exports.to_dhis2 if job.export_format == "json" else exports.to_adx
            content, note = writer(
                released,
                month_from=job.month_from,
                month_to=job.month_to,
                org_unit=org_unit,
                data_set=exports.dhis2_data_set(job.report),
            )
        _progress(job, ExportStatus.RUNNING, 90)
        name = f"exports/{job.pk}-{job.report}-{job.month_from:%Y%m}-{job.month_to:%Y%m}"
        job.file.save(f"{name}.{EXTENSIONS[job.export_format]}", ContentFile(content), save=False)
        _progress(
            job, ExportStatus.DONE, 100, file=job.file.name, note=note, finished_at=timezone.now()
        )
    except exports.ExportError as error:
        _progress(job, ExportStatus.FAILED, 100, error=str(error), finished_at=timezone.now())
    job.refresh_from_db()
    return job


@transaction.atomic
def dhis2_mapping_replace(*, actor: Actor, text: str) -> int:
    """Replace the DHIS2 mapping with CSV lines ``kind,key,uid`` (national administrators);
    every bad line is reported with its number and nothing changes."""
    actor.require(Permission.MANAGE_REFERENCE_LISTS)
    rows, errors = [], []
    for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not line or not "".join(line).strip() or line[0].startswith("#"):
            continue
        if len(line) != 3:
            errors.append(f"line {number}: expected kind,key,uid")
            continue
        kind, key, uid = (part.strip() for part in line)
        if not key or len(key) > KEY_MAX:
            errors.append(f"line {number}: the key must have 1 to {KEY_MAX} characters")
        elif kind not in Dhis2MappingKind.values:
            errors.append(f"line {number}: unknown kind “{kind}”")
        elif not (len(uid) == 11 and uid.isalnum() and uid[0].isalpha()):
            errors.append(f"line {number}: “{uid}” is not a DHIS2 uid (11 letters or digits)")
        elif (kind, key) in {(r.kind, r.key) for r in rows}:
            errors.append(f"line {number}: {kind} {key} appears twice")
        else:
            rows.append(Dhis2Mapping(kind=kind, key=key, uid=uid))
    if errors:
        raise ValidationError({"text": errors})
    Dhis2Mapping.objects.all().delete()
    Dhis2Mapping.objects.bulk_create(rows)
    return len(rows)
