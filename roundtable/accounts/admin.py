from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from roundtable.accounts.models import Membership, User
from roundtable.audit.admin import AuditedAdminMixin, ReadOnlyAdminMixin


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline[Membership, User]):
    """Roles are given and removed on each agency's Members page (audited)."""

    model = Membership
    extra = 0


@admin.register(User)
class RoundtableUserAdmin(AuditedAdminMixin, UserAdmin[User]):
    inlines = [MembershipInline]
    fieldsets = (*UserAdmin.fieldsets, ("Roundtable", {"fields": ("preferred_language",)}))  # type: ignore[misc]
    audit_fields = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
    ]
