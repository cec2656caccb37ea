from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mentoring.models import Campaign, SentNotice


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_current",
        "recruitment_opens",
        "recruitment_closes",
        "matching_opens",
        "campaign_ends",
        "phase_label",
    ]
    list_filter = ["is_current"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "is_current"]}),
        (_("Calendar"), {"fields": ["recruitment_opens", "recruitment_closes", "matching_opens", "campaign_ends"]}),
        (_("Rules"), {"fields": ["roadbook_min_days", "default_mentor_capacity", "request_expiry_days"]}),
        (
            _("Reminders"),
            {
                "fields": [
                    "recruitment_closing_reminder_days",
                    "no_mentor_reminder_days",
                    "request_unanswered_reminder_days",
                    "roadbook_due_reminder_days",
                    "evaluation_pending_reminder_days",
                    "no_follow_up_reminder_weeks",
                    "final_form_reminder_days",
                ]
            },
        ),
    ]

    @admin.display(description=_("phase"))
    def phase_label(self, campaign):
        return campaign.phase.label


@admin.register(SentNotice)
class SentNoticeAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "content_type", "object_id", "period", "sent_at"]
    list_filter = ["kind", "content_type", "sent_at"]
    search_fields = ["recipient__email", "recipient__last_name", "kind"]
    date_hierarchy = "sent_at"
    list_select_related = ["recipient", "content_type"]

    # The log is evidence of what was sent: nobody edits it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
