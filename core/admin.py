from django.contrib import admin

from core.models import SentNotice


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "recipient",
        "content_type",
        "object_id",
        "period",
        "created_at",
        "delivered_at",
        "attempts",
    ]
    list_filter = ["kind", "content_type", ("delivered_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["recipient__email", "recipient__last_name", "kind", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "content_type"]

    # The log is evidence of what was sent: nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
