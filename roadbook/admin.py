from django.contrib import admin

from roadbook.models import Roadbook, RoadbookVersion


class VersionInline(admin.TabularInline):
    model = RoadbookVersion
    extra = 0
    can_delete = False
    fields = ["number", "submitted_at", "changed", "cv_filename"]
    readonly_fields = fields


@admin.register(Roadbook)
class RoadbookAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "status", "submitted_at", "is_late", "mentor_first_opened_at", "updated_at"]
    list_filter = ["status", "is_late", "mentorship__campaign"]
    search_fields = ["mentorship__student__email", "mentorship__student__last_name"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus"]
    readonly_fields = ["mentorship", "status", "submitted_at", "is_late", "mentor_first_opened_at", "updated_at"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        # A road-book belongs to a mentorship and is started by its student.
        return False
