from django.contrib import admin

from roundtable.audit.admin import ReadOnlyAdminMixin
from roundtable.stakeholders.models import Contact, Interaction, Organisation, Referral


class ContactInline(ReadOnlyAdminMixin, admin.TabularInline[Contact, Organisation]):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Organisation]):
    """Read-only: coordinators work in the Community Map pages, whose writes are audited."""

    list_display = ["name", "agency", "category", "stance"]
    list_filter = ["agency", "category", "stance"]
    search_fields = ["name", "external_id"]
    inlines = [ContactInline]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Referral]):
    list_display = ["referrer", "referred", "agency"]


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Interaction]):
    list_display = ["organisation", "kind", "occurred_on"]
