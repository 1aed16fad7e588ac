from django.contrib import admin

from roundtable.agencies.models import Agency, Area
from roundtable.audit.admin import AuditedAdminMixin


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin[Agency]):
    list_display = ["name", "slug", "kind"]
    prepopulated_fields = {"slug": ["name"]}
    audit_fields = [
        "name",
        "slug",
        "kind",
        "renewal_after_days",
        "acknowledge_within_days",
        "answer_within_days",
        "referral_back_within_days",
        "map_latitude",
        "map_longitude",
        "map_zoom",
    ]


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, admin.ModelAdmin[Area]):
    list_display = ["name", "agency", "kind", "parent"]
    list_filter = ["agency", "kind"]
    filter_horizontal = ["overlaps"]
    audit_fields = ["name", "slug", "kind", "parent"]
