from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import AuditTrailMixin, titled
from mentoring.admin_columns import mentorship_columns
from roadbook.models import Roadbook, RoadbookVersion


class VersionInline(admin.TabularInline):
    model = RoadbookVersion
    extra = 0
    can_delete = False
    fields = ["number", "submitted_at", "changed", "cv_filename"]
    readonly_fields = fields


@admin.register(Roadbook)
class RoadbookAdmin(AuditTrailMixin, admin.ModelAdmin):
    list_display = [
        "student",
        "mentor",
        "campaign",
        "status",
        "due_at",
        "submitted_at",
        "is_late",
        "mentor_first_opened_at",
    ]
    student, mentor, campaign = mentorship_columns("mentorship")
    list_filter = ["status", titled("is_late", _("lateness")), "mentorship__campaign"]
    search_fields = ["mentorship__student__email", "mentorship__student__last_name"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus", "mentorship__campaign"]
    readonly_fields = [
        "mentorship",
        "status",
        "first_interview_at",
        "due_at",
        "submitted_at",
        "is_late",
        "mentor_first_opened_at",
        "updated_at",
        "audit_trail",
    ]
    ordering = ["-updated_at"]

    inlines = [VersionInline]

    def has_add_permission(self, request):
        # A road-book belongs to a mentorship and is started by its student.
        return False
