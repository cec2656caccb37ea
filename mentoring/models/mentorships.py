from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import is_career_department


class MentorshipQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        """What a person may open: their own as student or mentor; the Career Department sees
        everything (staff outside it see their own only, like anyone)."""
        if not user.is_authenticated:
            return self.none()
        if is_career_department(user):
            return self
        return self.filter(Q(student=user) | Q(enrollment__alumnus=user))

    def live(self):
        return self.filter(status__in=Mentorship.LIVE)

    def live_for(self, student, campaign):
        """The student's pending or accepted mentorship in the campaign (at most one)."""
        return self.filter(student=student, campaign=campaign).live()

    def overdue_requests(self, now=None):
        """Requests left unanswered past their campaign's expiry delay (two queries in all)."""
        from mentoring.models.campaigns import Campaign

        now = now or timezone.now()
        requested = self.filter(status=Mentorship.Status.REQUESTED)
        delays = Campaign.objects.filter(mentorships__in=requested).values_list("pk", "request_expiry_days").distinct()
        overdue = Q(pk__in=[])
        for campaign_id, days in delays:
            overdue |= Q(campaign_id=campaign_id, requested_at__lte=now - timedelta(days=days))
        return requested.filter(overdue)


class Mentorship(models.Model):
    """A student and the mentor they chose, from the request to the end of the programme."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")
        CLOSED = "closed", _("Closed")

    LIVE = (Status.REQUESTED, Status.ACCEPTED)
    # Mentees who take one of the mentor's places for the campaign.
    OCCUPYING = (Status.ACCEPTED, Status.CLOSED)
    TONES = {Status.ACCEPTED: "success", Status.REQUESTED: "primary"}

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="mentorships"
    )
    enrollment = models.ForeignKey(
        "mentoring.MentorEnrollment", verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="mentorships"
    )
    # Denormalised from the enrolment so that the database itself can enforce one live
    # mentorship per student and campaign.
    campaign = models.ForeignKey(
        "mentoring.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="mentorships"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    message = models.TextField(_("message to the mentor"), max_length=3000)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set by the retention sweep once the mentorship's personal data is erased (mentoring.retention).
    data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        ordering = ["-requested_at"]
        indexes = [
            # The admin's list, newest first (its ordering, then -pk to be total): read from the
            # index, not by sorting every mentorship.
            models.Index(F("requested_at").desc(), F("id").desc(), name="mentorship_newest_first"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "campaign"],
                condition=Q(status__in=["requested", "accepted"]),
                name="one_live_mentorship_per_student",
            )
        ]

    def __str__(self):
        return f"{self.student} → {self.mentor}"

    def get_absolute_url(self) -> str:
        return reverse("mentoring:mentorship", args=[self.pk])

    @property
    def mentor(self) -> User:
        return self.enrollment.alumnus

    @property
    def expires_at(self) -> datetime:
        return self.requested_at + timedelta(days=self.campaign.request_expiry_days)

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def shares_contacts(self) -> bool:
        """Once the mentor said yes, each side sees the other's email address."""
        return self.status in self.OCCUPYING

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        return self.TONES.get(self.status, "secondary")

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.status == self.Status.REQUESTED and (now or timezone.now()) >= self.expires_at

    def is_student(self, user: User) -> bool:
        return user.pk == self.student_id

    def is_mentor(self, user: User) -> bool:
        return user.pk == self.enrollment.alumnus_id

    def is_party(self, user: User) -> bool:
        """The student or the mentor: the two who write, schedule and meet (staff only read)."""
        return self.is_student(user) or self.is_mentor(user)

    def other_party(self, user: User) -> User:
        return self.mentor if user.pk == self.student_id else self.student


class Message(models.Model):
    """A message in the thread between a student and their mentor."""

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("message"), max_length=5000)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.author} · {self.sent_at:%Y-%m-%d %H:%M}"
