"""Documents of a case: uploaded and served only through the policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from case_apps.cases import confirmations, selectors, services
from case_apps.cases.forms import AttachmentForm
from case_apps.cases.models import CaseRecord
from case_apps.cases.views.common import on_case
from cpims.form_errors import apply_errors
from tenants.actor import actor_from_request
from tenants.policy import Permission


@on_case(Permission.RECORD_CASES)
@require_http_methods(["GET", "POST"])
def attachment_upload(request: HttpRequest, case: CaseRecord) -> HttpResponse:
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.attachment_add(
                case=case,
                actor=actor_from_request(request),
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, confirmations.document_attached(case, attachment))
            return redirect("cases:detail", case_id=case.pk)
    return render(
        request, "cases/simple_form.html", {"form": form, "case": case, "multipart": True}
    )


@on_case(Permission.VIEW_CASES)
def attachment_download(request: HttpRequest, case: CaseRecord, attachment_id: int):
    """Documents are served only here, after the policy said the member may see the case."""
    attachment = selectors.attachment_read(
        actor=actor_from_request(request),
        case_id=case.pk,
        attachment_id=attachment_id,
        request=request,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"{attachment.title}.{attachment.file.name.rsplit('.', 1)[-1]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
