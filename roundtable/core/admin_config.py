from django.contrib.admin.apps import AdminConfig


class RoundtableAdminConfig(AdminConfig):
    """The admin app, with Roundtable's admin site (second factor required)."""

    default_site = "roundtable.core.admin_site.RoundtableAdminSite"
