"""API of the OVC programme: graduation (issue 18). Shared helpers in case_apps/ovc/api.py.

Benchmark monitoring of a household (record, list), the graduation dashboard's figures, the
graduation report and the exits report by reason (with the children behind a figure):
the same services, selectors and policy as the screens (views_graduation.py).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from case_apps.ovc import selectors_graduation, services_graduation
from case_apps.ovc.api import household_for, ovc_actor, run
from case_apps.ovc.models_graduation import BenchmarkMonitoring
from tenants.api_input import (
    CODE_MAX_LENGTH,
    MAX_ITEMS,
    BoundedLimitOffsetPagination,
    Code,
    RecordId,
    model_text,
)
from tenants.policy import Permission

router = Router(tags=["ovc"])


class BenchmarkMonitoringIn(Schema):
    monitored_on: date
    met: dict[Code, bool] = Field(
        ...,
        max_length=MAX_ITEMS,
        description='Each benchmark "1" to "9": true when met, false when not.',
    )
    ready_for_exit: bool = False
    closure_checked: bool = False
    notes: str = model_text(BenchmarkMonitoring, "notes", "")


class BenchmarkMonitoringOut(Schema):
    id: int
    household_id: int
    monitored_on: date
    met: dict[str, bool]
    total: int
    ready_for_exit: bool
    closure_checked: bool
    notes: str


class PeriodQuery(Schema):
    start: date | None = Field(None, description="First exit date (default: quarter start)")
    end: date | None = Field(None, description="Last exit date (default: today)")


class DashboardQuery(Schema):
    as_of: date | None = None
    quarters: int = Field(4, ge=1, le=selectors_graduation.MAX_QUARTERS)


class BandOut(Schema):
    band: str
    label: str
    households: int


class MovementOut(Schema):
    quarter: str
    start: date
    end: date
    up: int
    down: int
    stayed: int
    first: int


class DashboardOut(Schema):
    as_of: date
    households: int
    without_cpara: int
    bands: list[BandOut]
    movements: list[MovementOut]


class CparaRef(Schema):
    id: int
    assessed_on: date
    total: int


class GraduatedChildOut(Schema):
    enrolment_id: int
    household_id: int
    household_number: str
    exit_date: date
    cpara: CparaRef | None


class GraduatedHouseholdOut(Schema):
    household_id: int
    household_number: str
    children_graduated: int
    still_active: int
    cpara: CparaRef | None


class ReadyHouseholdOut(Schema):
    household_id: int
    household_number: str
    cpara: CparaRef
    active_children: int


class GraduationReportOut(Schema):
    start: date
    end: date
    children_graduated: int
    households_graduated: int
    children: list[GraduatedChildOut]
    households: list[GraduatedHouseholdOut]
    ready_not_graduated: list[ReadyHouseholdOut]


class ExitReasonOut(Schema):
    reason: str
    label: str
    total: int
    by_sex: dict[str, int]
    by_age_band: dict[str, int]


class ExitsReportOut(Schema):
    start: date
    end: date
    total: ExitReasonOut
    reasons: list[ExitReasonOut]


class ExitChildrenQuery(PeriodQuery):
    reason: str = Field("", max_length=CODE_MAX_LENGTH)
    sex: str = Field("", max_length=CODE_MAX_LENGTH)
    age_band: str = Field("", max_length=CODE_MAX_LENGTH)


class ExitChildOut(Schema):
    enrolment_id: int
    household_id: int
    exit_reason: str
    exit_date: date
    sex: str
    age_band: str


def _period(query: PeriodQuery) -> tuple[date, date]:
    return run(
        selectors_graduation.report_period,
        start=query.start,
        end=query.end,
        today=timezone.localdate(),
    )


def _cpara(cpara) -> dict | None:
    if cpara is None:
        return None
    return {"id": cpara.pk, "assessed_on": cpara.assessed_on, "total": cpara.total}


def _exit_row(row) -> dict:
    return {
        "reason": row.reason,
        "label": str(row.label),
        "total": row.total,
        "by_sex": dict(row.sex_cells()),
        "by_age_band": dict(row.age_cells()),
    }


def _benchmark(key: str) -> int | str:
    return int(key) if key.isdigit() else key


def _monitoring_record(**arguments) -> BenchmarkMonitoring:
    """The service, its errors named as the API's fields: ``benchmark_3`` is ``met.3``."""
    try:
        return services_graduation.benchmark_monitoring_record(**arguments)
    except ValidationError as error:
        raise ValidationError(
            {
                name.replace("benchmark_", "met.", 1): messages
                for name, messages in error.message_dict.items()
            }
        ) from None


@router.post(
    "/ovc/households/{household_id}/benchmark-monitoring",
    response={201: BenchmarkMonitoringOut},
    summary="Record a benchmark monitoring visit of a household (the nine CPARA benchmarks)",
)
def add_benchmark_monitoring(
    request: HttpRequest, household_id: RecordId, payload: BenchmarkMonitoringIn
):
    actor, household = household_for(request, household_id, Permission.RECORD_CASES)
    data = payload.dict()
    data["met"] = {_benchmark(key): value for key, value in payload.met.items()}
    visit = run(
        _monitoring_record,
        actor=actor,
        household=household,
        **data,
    )
    return Status(201, visit)


@router.get(
    "/ovc/households/{household_id}/benchmark-monitoring",
    response=list[BenchmarkMonitoringOut],
    summary="A household's benchmark monitoring visits, newest first",
)
@paginate(BoundedLimitOffsetPagination)
def list_benchmark_monitoring(request: HttpRequest, household_id: RecordId):
    actor, household = household_for(request, household_id)
    return selectors_graduation.benchmark_monitoring_list(actor=actor, household_id=household)


@router.get(
    "/ovc/graduation/dashboard",
    response=DashboardOut,
    summary="Households of your caseload by readiness band, and movement between bands",
)
def graduation_dashboard(request: HttpRequest, query: Query[DashboardQuery]):
    actor = ovc_actor(request)
    as_of = run(selectors_graduation.report_day, day=query.as_of, today=timezone.localdate())
    board = selectors_graduation.readiness_dashboard(
        actor=actor, as_of=as_of, quarters=query.quarters
    )
    return {
        "as_of": board["as_of"],
        "households": board["households"],
        "without_cpara": board["without_cpara"],
        "bands": [
            {"band": code, "label": label, "households": n} for code, label, n in board["bands"]
        ],
        "movements": [
            {
                "quarter": m.label,
                "start": m.start,
                "end": m.end,
                "up": m.up,
                "down": m.down,
                "stayed": m.stayed,
                "first": m.first,
            }
            for m in board["movements"]
        ],
    }


@router.get(
    "/ovc/graduation/report",
    response=GraduationReportOut,
    summary="Children graduated in a period with the CPARA that allowed it; households "
    "ready to graduate not yet graduated",
)
def graduation_report(request: HttpRequest, query: Query[PeriodQuery]):
    actor = ovc_actor(request)
    start, end = _period(query)
    report = selectors_graduation.graduation_report(actor=actor, start=start, end=end)
    return {
        "start": start,
        "end": end,
        "children_graduated": len(report["children"]),
        "households_graduated": report["households_graduated"],
        "children": [
            {
                "enrolment_id": e.pk,
                "household_id": e.household_id,
                "household_number": e.household.number,
                "exit_date": e.exit_date,
                "cpara": _cpara(e.cpara),
            }
            for e in report["children"]
        ],
        "households": [
            {
                "household_id": row.household.pk,
                "household_number": row.household.number,
                "children_graduated": len(row.graduated),
                "still_active": row.still_active,
                "cpara": _cpara(row.cpara),
            }
            for row in report["households"]
        ],
        "ready_not_graduated": [
            {
                "household_id": row["household"].pk,
                "household_number": row["household"].number,
                "cpara": _cpara(row["cpara"]),
                "active_children": row["active"],
            }
            for row in report["ready"]
        ],
    }


@router.get(
    "/ovc/graduation/exits",
    response=ExitsReportOut,
    summary="Exits in a period by exit reason, sex and MER age band (age on the exit date)",
)
def exits_report(request: HttpRequest, query: Query[PeriodQuery]):
    actor = ovc_actor(request)
    start, end = _period(query)
    report = selectors_graduation.exits_report(actor=actor, start=start, end=end)
    return {
        "start": start,
        "end": end,
        "total": _exit_row(report["total"]),
        "reasons": [_exit_row(row) for row in report["rows"]],
    }


@router.get(
    "/ovc/graduation/exits/children",
    response=list[ExitChildOut],
    summary="The children behind one figure of the exits report",
)
@paginate(BoundedLimitOffsetPagination)
def exits_children(request: HttpRequest, query: Query[ExitChildrenQuery]):
    actor = ovc_actor(request)
    start, end = _period(query)
    children = run(
        selectors_graduation.exits_children,
        actor=actor,
        start=start,
        end=end,
        reason=query.reason,
        sex=query.sex,
        age_band=query.age_band,
    )
    return [
        {
            "enrolment_id": e.pk,
            "household_id": e.household_id,
            "exit_reason": e.exit_reason,
            "exit_date": e.exit_date,
            "sex": e.child.sex,
            "age_band": e.age_band,
        }
        for e in children
    ]
