from django.contrib import admin

from roundtable.agencies.models import Agency, Area


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "slug", "kind"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "agency", "kind", "parent"]
    list_filter = ["agency", "kind"]
    filter_horizontal = ["overlaps"]
