"""The administrators' audit page: who did what to record X, what did user Y see."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reviewhub.accounts.access import role_required
from reviewhub.accounts.choices import Role

from . import selectors
from .choices import AuditAction
from .forms import AuditSearchForm
from .services import audit_event_record


@require_GET
@role_required(Role.ADMINISTRATOR)
def audit_search(request):
    """Search the audit log; running the search is itself audited."""
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = selectors.audit_event_list(user=request.user, **data)
        audit_event_record(
            action=AuditAction.SEARCH,
            object_type="audit.auditevent",
            object_id=data.get("object_id", "") or "",
            detail="audit search " + " ".join(f"{k}={v}" for k, v in sorted(data.items()) if v),
        )
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"form": form, "page": page})
