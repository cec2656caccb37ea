from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import SentNotice
from core.notices import notice_kinds


def kind_label(name: str) -> str:
    """A notice kind as staff read it: "roadbook_overdue" → "Roadbook overdue"."""
    return name.replace("_", " ").capitalize()


class KindFilter(admin.SimpleListFilter):
    """The declared kinds: listing them never scans the outbox."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(kind.name, kind_label(kind.name)) for kind in notice_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = ["kind_display", "to", "subject", "period", "created_at", "delivered_at", "held", "attempts"]
    # No date drill-down and no distinct scan of the outbox: filters come from the declared kinds
    # and fixed date ranges.
    list_filter = [KindFilter, ("delivered_at", admin.EmptyFieldListFilter), "held", "created_at"]
    search_fields = ["email", "recipient__last_name", "subject"]
    list_select_related = ["recipient"]
    show_full_result_count = False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, notice):
        return kind_label(notice.kind)

    @admin.display(description=_("recipient"), ordering="email")
    def to(self, notice):
        # A notice to the department's address has no account behind it.
        return notice.recipient or notice.email

    # The log is evidence of what was sent: nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
