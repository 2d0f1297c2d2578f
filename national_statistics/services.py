"""Writes of national statistics: export jobs and the DHIS2 mapping."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from national_statistics import exports, mer, reports
from national_statistics.models import Dhis2Mapping, Dhis2MappingKind, ExportJob, ExportStatus
from national_statistics.selectors import StatisticsScope
from tenants.models import Organisation, User

EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json"}
REPORTS = {
    "case_load_summary": reports.case_load_summary,
    "ovc_serv": mer.ovc_serv,
    "ovc_hivstat": mer.ovc_hivstat,
}
MER_REPORTS = ("ovc_serv", "ovc_hivstat")


def export_job_create(
    *,
    requested_by: User,
    export_format: str,
    month_from: date,
    month_to: date,
    county: str = "",
    sub_county: str = "",
    organisation: Organisation | None = None,
    report: str = "case_load_summary",
) -> ExportJob:
    """Queue an export of a standard report for a scope and period."""
    if report not in REPORTS:
        raise ValidationError({"report": ["Choose a report."]})
    if export_format not in EXTENSIONS:
        raise ValidationError({"export_format": ["Choose CSV, Excel or DHIS2 JSON."]})
    if report in MER_REPORTS:
        try:
            mer.check_mer_period(month_from, month_to)
        except ValueError as error:
            raise ValidationError({"report": [str(error)]}) from None
    if export_format == "json":
        try:
            exports.dhis2_period(month_from, month_to)
        except exports.ExportError as error:
            raise ValidationError({"export_format": [str(error)]}) from None
    return ExportJob.objects.create(
        requested_by=requested_by,
        organisation=organisation,
        county=county,
        sub_county=sub_county,
        month_from=month_from,
        month_to=month_to,
        export_format=export_format,
        report=report,
    )


def _progress(job: ExportJob, status: str, progress: int, **fields) -> None:
    ExportJob.objects.filter(pk=job.pk).update(status=status, progress=progress, **fields)


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the file: report from facts, suppression, format; progress recorded as it goes."""
    _progress(job, ExportStatus.RUNNING, 10)
    try:
        scope = StatisticsScope(
            county=job.county, sub_county=job.sub_county, organisation_id=job.organisation_id
        )
        report = REPORTS[job.report](scope, job.month_from, job.month_to)
        _progress(job, ExportStatus.RUNNING, 50)
        safe = reports.suppressed(report)
        _progress(job, ExportStatus.RUNNING, 70)
        note = ""
        if job.export_format == "csv":
            content = exports.to_csv(safe)
        elif job.export_format == "xlsx":
            content = exports.to_xlsx(safe)
        else:
            area = job.sub_county or job.county or "national"
            content, note = exports.to_dhis2(
                safe, month_from=job.month_from, month_to=job.month_to, area=area
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
def dhis2_mapping_replace(*, text: str) -> int:
    """Replace the DHIS2 mapping with CSV lines ``kind,key,uid``; every bad line is reported
    with its number and nothing changes."""
    rows, errors = [], []
    for number, line in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not line or not "".join(line).strip() or line[0].startswith("#"):
            continue
        if len(line) != 3:
            errors.append(f"line {number}: expected kind,key,uid")
            continue
        kind, key, uid = (part.strip() for part in line)
        if kind not in Dhis2MappingKind.values:
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
