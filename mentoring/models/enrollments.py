from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Sector


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call (Teams, Zoom, Skype…)")
    PHONE = "phone", _("Phone")


class EnrollmentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=MentorEnrollment.Status.APPROVED)

    def with_places(self):
        """Annotates ``taken`` (mentees accepted or closed) and ``free_places``."""
        from mentoring.models.mentorships import Mentorship

        return self.annotate(
            taken=Count("mentorships", filter=Q(mentorships__status__in=Mentorship.OCCUPYING)),
        ).annotate(
            free_places=F("capacity") - F("taken"),
            has_free_places=Case(When(free_places__gt=0, then=True), default=False, output_field=BooleanField()),
        )

    def directory(self, campaign):
        """Approved mentors of a campaign, as the directory lists them, in a fixed number of queries.

        Mentors with a free place come first, whatever the sort; then by name.
        """
        return (
            self.approved()
            .filter(campaign=campaign)
            .with_places()
            .select_related("alumnus", "alumnus__alumnus_profile", "alumnus__alumnus_profile__sector")
            .prefetch_related("languages", "sectors")
            .order_by(*DIRECTORY_FIRST, "alumnus__last_name", "pk")
        )


# The directory's ordering always starts with this, so a student sees whom they can still choose.
DIRECTORY_FIRST = ("-has_free_places",)


class MentorEnrollment(models.Model):
    """An alumnus volunteering as a mentor for one campaign."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    alumnus = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("alumnus"), on_delete=models.CASCADE, related_name="enrollments"
    )
    campaign = models.ForeignKey(
        "mentoring.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    capacity = models.PositiveSmallIntegerField(
        _("maximum number of mentees"), validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    offers_in_person = models.BooleanField(_("in person"), default=False)
    offers_video = models.BooleanField(_("video call"), default=False)
    offers_phone = models.BooleanField(_("phone"), default=False)
    languages = models.ManyToManyField(Language, verbose_name=_("interview languages"), related_name="+")
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors and functions I can speak to"), related_name="enrollments"
    )
    availability_note = models.TextField(
        _("availability"),
        max_length=1000,
        blank=True,
        help_text=_("For example: weekday evenings, not in August."),
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note to the alumnus"), blank=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor enrolment")
        verbose_name_plural = _("mentor enrolments")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(fields=["alumnus", "campaign"], name="one_enrollment_per_campaign"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="enrollment_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.alumnus} · {self.campaign}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentor_detail", args=[self.pk])

    @property
    def meeting_modes(self) -> list[str]:
        offered = {
            MeetingMode.IN_PERSON: self.offers_in_person,
            MeetingMode.VIDEO: self.offers_video,
            MeetingMode.PHONE: self.offers_phone,
        }
        return [mode for mode, on in offered.items() if on]

    @property
    def meeting_mode_labels(self) -> list[str]:
        return [mode.label for mode in self.meeting_modes]
