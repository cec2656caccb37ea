from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from evaluations import evaluation_services
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot, RecommendedContact


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


class ContactInline(admin.TabularInline):
    model = RecommendedContact
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["interview", "kind", "status", "completed_at"]
    list_filter = ["kind", "status", "interview__mentorship__campaign"]
    search_fields = ["interview__mentorship__student__email", "interview__mentorship__enrollment__alumnus__email"]
    list_select_related = ["interview__mentorship__student", "interview__mentorship__enrollment__alumnus"]
    readonly_fields = ["interview", "kind", "status", "completed_at"]
    inlines = [ContactInline]


class CoachingReferralForm(forms.ModelForm):
    class Meta:
        model = CoachingReferral
        fields = ["status", "scheduled_for", "staff_note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == CoachingReferral.Status.SCHEDULED and not cleaned.get("scheduled_for"):
            self.add_error("scheduled_for", _("Give the session's date to mark it scheduled."))
        return cleaned


@admin.register(CoachingReferral)
class CoachingReferralAdmin(admin.ModelAdmin):
    """The staff's queue of coaching referrals."""

    form = CoachingReferralForm

    list_display = ["student", "mentor", "status", "created_at", "requested_at", "scheduled_for"]
    list_filter = ["status", "mentorship__campaign", "created_at"]
    search_fields = ["mentorship__student__email", "mentorship__student__last_name", "reason"]
    list_select_related = ["mentorship__student", "mentorship__enrollment__alumnus"]
    readonly_fields = ["mentorship", "evaluation", "recommended_by", "reason", "created_at", "requested_at"]
    fields = [
        "mentorship",
        "recommended_by",
        "reason",
        "created_at",
        "requested_at",
        "status",
        "scheduled_for",
        "staff_note",
    ]
    date_hierarchy = "created_at"

    @admin.display(description=_("student"), ordering="mentorship__student__last_name")
    def student(self, referral):
        return referral.mentorship.student

    @admin.display(description=_("mentor"))
    def mentor(self, referral):
        return referral.mentorship.enrollment.alumnus

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        previous = CoachingReferral.objects.get(pk=obj.pk).status if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            evaluation_services.coaching_update(referral=obj, previous_status=previous)
