from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from roundtable.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the audit log is append-only in the application."""

    list_display = ["created_at", "actor", "agency", "action", "object_repr"]
    list_filter = ["agency", "action"]
    search_fields = ["object_repr", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedAdminMixin:
    """For the few models administrators still edit in the Django admin (agencies,
    areas, users): every save and delete goes to the audit log like any other
    staff action."""

    audit_fields: list[str] = []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from roundtable.audit.services import audit_record, snapshot

        before = None
        if change:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk), self.audit_fields)
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            agency=_agency_of(obj),
            action=f"admin.{obj._meta.model_name}.{'update' if change else 'create'}",
            instance=obj,
            before=before,
            after=snapshot(obj, self.audit_fields),
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from roundtable.audit.services import audit_record, snapshot

        audit_record(
            actor=request.user if request.user.is_authenticated else None,
            agency=_agency_of(obj),
            action=f"admin.{obj._meta.model_name}.delete",
            instance=obj,
            before=snapshot(obj, self.audit_fields),
        )
        super().delete_model(request, obj)  # type: ignore[misc]


def _agency_of(obj: Any) -> Any:
    from roundtable.agencies.models import Agency

    if isinstance(obj, Agency):
        return obj
    return getattr(obj, "agency", None)


class ReadOnlyAdminMixin:
    """Shown to administrators for reference; edits go through Roundtable's own
    pages, whose services keep the audit log and the stance history."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
