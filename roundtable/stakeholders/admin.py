from django.contrib import admin

from roundtable.stakeholders.models import Contact, Interaction, Organisation, Referral


class ContactInline(admin.TabularInline[Contact, Organisation]):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    """For administrators' repairs; coordinators work in the Community Map pages,
    whose writes are audited."""

    list_display = ["name", "agency", "category", "stance"]
    list_filter = ["agency", "category", "stance"]
    search_fields = ["name", "external_id"]
    inlines = [ContactInline]


admin.site.register(Referral)
admin.site.register(Interaction)
