from django.contrib import admin

from evaluations.models import Interview, InterviewSlot


class SlotInline(admin.TabularInline):
    model = InterviewSlot
    extra = 0
    readonly_fields = ["start", "proposal_round"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["mentorship", "kind", "status", "start", "mode"]
    list_filter = ["kind", "status", "mode", "mentorship__campaign"]
    search_fields = ["mentorship__student__email", "mentorship__enrollment__alumnus__email"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus"]
    readonly_fields = ["mentorship", "kind", "status", "start", "proposed_by", "uid", "sequence", "proposal_round"]
    inlines = [SlotInline]
