from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import BooleanField, Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Sector


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call (Teams, Zoom, Skype…)")
    PHONE = "phone", _("Phone")


# The enrolment's flag for each meeting mode it may offer (a student's preference for the same
# mode is ``prefers_<mode>`` on their profile).
MODE_FIELDS = {
    MeetingMode.IN_PERSON: "offers_in_person",
    MeetingMode.VIDEO: "offers_video",
    MeetingMode.PHONE: "offers_phone",
}


class EnrollmentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=MentorEnrollment.Status.APPROVED)

    def with_free_places(self):
        """Annotates ``free_places`` and ``has_free_places`` from the ``places_taken`` counter."""
        return self.annotate(
            free_places=F("capacity") - F("places_taken"),
            has_free_places=Case(
                When(capacity__gt=F("places_taken"), then=True), default=False, output_field=BooleanField()
            ),
        )

    def directory(self, campaign):
        """Approved mentors of a campaign, as the directory lists them: mentors with a free place
        first, whatever the sort; then by name. Narrow: ``mentoring.directory`` picks a page of
        ids from it, then loads those rows with what a card shows."""
        return (
            self.approved().filter(campaign=campaign).with_free_places().order_by(*DIRECTORY_FIRST, "sort_name", "pk")
        )


# ``full`` as the database computes it, in an UPDATE (from the row's values before the update).
FULL = Case(When(places_taken__gte=F("capacity"), then=True), default=False, output_field=BooleanField())

# The directory's ordering always starts with this, so a student sees whom they can still choose.
DIRECTORY_FIRST = ("full",)


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
    # Mentees accepted or closed, kept by mentoring.signals on every save and delete of a
    # mentorship, so that the directory sorts and filters on free places without counting.
    places_taken = models.PositiveSmallIntegerField(_("places taken"), default=0, db_default=0, editable=False)
    # The directory's order, kept on the row so that a page is read off an index in that order
    # (enrollment_directory_order) instead of sorting every mentor: places_taken >= capacity,
    # kept with the counter; the alumnus's last name, kept by mentoring.signals.
    # (Defaults in the database too, for code that predates the columns.)
    full = models.BooleanField(_("full"), default=False, db_default=False, editable=False)
    sort_name = models.CharField(_("sort name"), max_length=150, default="", db_default="", editable=False)
    # The directory's full-text search on PostgreSQL (mentoring.search keeps it current); unused,
    # and left empty, on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor enrolment")
        verbose_name_plural = _("mentor enrolments")
        ordering = ["-applied_at"]
        constraints = [
            models.UniqueConstraint(fields=["alumnus", "campaign"], name="one_enrollment_per_campaign"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="enrollment_capacity_positive"),
        ]
        # The search vector's GIN index (enrollment_search_gin) exists on PostgreSQL only: made by
        # migration 0009 in SQL, outside the model state, so that SQLite never builds it.
        indexes = [
            models.Index(fields=["campaign", "status", "full", "sort_name", "id"], name="enrollment_directory_order"),
        ]

    def __str__(self):
        return f"{self.alumnus} · {self.campaign}"

    # Columns the database keeps, which a save of an enrolment read earlier must not write back.
    KEPT_BY_DATABASE = frozenset({"places_taken", "full", "sort_name", "search_vector"})

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.sort_name = self.alumnus.last_name
            self.full = self.places_taken >= self.capacity
        elif kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.KEPT_BY_DATABASE
            ]
        adding = self._state.adding
        # One transaction: what follows its commit (the directory's cached listing drawn again,
        # mentoring.directory.changed) sees ``full`` as the new capacity leaves it.
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if not adding and "capacity" in (kwargs.get("update_fields") or ()):
                MentorEnrollment.objects.filter(pk=self.pk).update(full=FULL)

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentor_detail", args=[self.pk])

    @property
    def meeting_modes(self) -> list[str]:
        return [mode for mode, field in MODE_FIELDS.items() if getattr(self, field)]

    @property
    def meeting_mode_labels(self) -> list[str]:
        return [mode.label for mode in self.meeting_modes]
