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
