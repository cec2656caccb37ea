import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentoring.models import MeetingMode, Mentorship


class InterviewQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        """Interviews of the mentorships a person may open (accepted or closed ones only)."""
        visible = Mentorship.objects.for_user(user).filter(status__in=Mentorship.OCCUPYING)
        return self.filter(mentorship__in=visible)


class Interview(models.Model):
    """A meeting of the student and the mentor, from the first proposal to its outcome."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First interview")
        FOLLOW_UP = "follow_up", _("Follow-up interview")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE = (Status.PROPOSED, Status.CONFIRMED)
    # An interview whose evaluation form may exist: it was confirmed, and may have taken place.
    EVALUABLE = (Status.CONFIRMED, Status.HELD)
    TONES = {Status.CONFIRMED: "success", Status.PROPOSED: "primary"}

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="interviews"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    start = models.DateTimeField(_("start"), null=True, blank=True, help_text=_("Set when a slot is confirmed."))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    mode = models.CharField(_("how"), max_length=10, choices=MeetingMode.choices)
    place = models.CharField(_("place"), max_length=255, blank=True)
    link = models.URLField(_("video link"), blank=True, max_length=500)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    # Calendar identity: the same UID for every update of the invitation, a higher SEQUENCE each time.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    proposal_round = models.PositiveIntegerField(default=1)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    change_reason = models.TextField(_("reason for the new dates"), blank=True)
    late_roadbook_kept_at = models.DateTimeField(
        _("mentor kept the date despite a late road-book"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["start", "created_at"]
        indexes = [
            # The admin's list in its ordering (then -pk, to be total): read from the index.
            models.Index(F("start"), F("created_at"), F("id").desc(), name="interview_in_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=models.Q(kind="first", status__in=["proposed", "confirmed", "held"]),
                name="one_first_interview_per_mentorship",
            ),
            # One interview at a time is being scheduled or waits to take place.
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=models.Q(status__in=["proposed", "confirmed"]),
                name="one_active_interview_per_mentorship",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.mentorship}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:interview", args=[self.pk])

    @property
    def end(self) -> datetime | None:
        return self.start + timedelta(minutes=self.duration_minutes) if self.start else None

    @property
    def is_active(self) -> bool:
        """Being scheduled, or waiting to take place."""
        return self.status in self.ACTIVE

    @property
    def is_evaluable(self) -> bool:
        return self.status in self.EVALUABLE

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        return self.TONES.get(self.status, "secondary")

    @property
    def is_first(self) -> bool:
        return self.kind == self.Kind.FIRST

    @property
    def where(self) -> str:
        if self.mode == MeetingMode.IN_PERSON:
            return self.place
        if self.mode == MeetingMode.VIDEO:
            return self.link
        return self.phone

    def has_started(self, now: datetime | None = None) -> bool:
        """Whether its start has come: from then on it took place or was missed, and is no longer
        kept, moved or cancelled."""
        return self.start is not None and self.start <= (now or timezone.now())

    def is_under_way(self, now: datetime | None = None) -> bool:
        """A confirmed interview whose start has come: it took place or was missed, so it is no
        longer kept, moved or cancelled. (A proposal whose old date passed did neither.)"""
        return self.status == self.Status.CONFIRMED and self.has_started(now)

    def opens_evaluation(self, now: datetime | None = None) -> bool:
        """Whether the mentor may fill in its evaluation form: from the start of a confirmed interview."""
        return self.is_evaluable and self.has_started(now)

    def awaiting(self) -> User | None:
        """Who must answer a proposal: the side that did not propose it."""
        if self.status != self.Status.PROPOSED:
            return None
        return self.mentorship.mentor if self.proposed_by_id == self.mentorship.student_id else self.mentorship.student


class InterviewSlot(models.Model):
    """One of the one to three starts proposed for an interview."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="slots"
    )
    start = models.DateTimeField(_("start"))
    proposal_round = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("proposed slot")
        verbose_name_plural = _("proposed slots")
        ordering = ["start"]

    def __str__(self):
        return f"{self.start:%Y-%m-%d %H:%M}"
