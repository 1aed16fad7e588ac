from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from roundtable.accounts.models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0


@admin.register(User)
class RoundtableUserAdmin(UserAdmin[User]):
    inlines = [MembershipInline]
    fieldsets = (*UserAdmin.fieldsets, ("Roundtable", {"fields": ("preferred_language",)}))  # type: ignore[misc]
