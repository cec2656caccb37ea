from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class Phase(models.TextChoices):
    """Where a campaign stands at a given instant."""

    UPCOMING = "upcoming", _("Not started")
    RECRUITMENT = "recruitment", _("Recruitment of alumni mentors")
    PREPARATION = "preparation", _("Recruitment closed, matching not yet open")
    MATCHING = "matching", _("Matching, interviews and follow-ups")
    ENDED = "ended", _("Ended")


# The campaign marked current, with the id of a student's live mentorship in it (its statuses:
# Mentorship.LIVE, one placeholder each).
_CURRENT_FOR_STUDENT = """
SELECT c.*, (
    SELECT m.id FROM mentoring_mentorship m
    WHERE m.student_id = %s AND m.campaign_id = c.id AND m.status IN ({statuses})
    ORDER BY m.id LIMIT 1
) AS live_id
FROM mentoring_campaign c WHERE c.is_current ORDER BY c.id LIMIT 1
"""


class CampaignQuerySet(models.QuerySet):
    def current(self) -> "Campaign | None":
        """The one campaign marked current, or None."""
        return self.filter(is_current=True).first()

    def current_for_student(self, student) -> "Campaign | None":
        """The current campaign, or None, with ``live_id``: the id of ``student``'s pending or
        accepted mentorship in it (``Mentorship.LIVE``), or None. One query, written out: the
        directory asks it on every request, and the ORM takes four times longer to build it than
        to read its row."""
        from mentoring.models.mentorships import Mentorship

        statuses = [str(status) for status in Mentorship.LIVE]
        query = _CURRENT_FOR_STUDENT.format(statuses=", ".join(["%s"] * len(statuses)))
        return next(iter(self.raw(query, [student.pk, *statuses])), None)


@dataclass(frozen=True)
class TimelineStep:
    number: int
    title: str
    description: str
    starts: datetime | None
    ends: datetime | None
    is_current: bool
    is_done: bool


class Campaign(models.Model):
    """One yearly campaign of the programme. Every date is a setting staff edit in the admin."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("For example “2026–2027”."))
    recruitment_opens = models.DateTimeField(_("recruitment of mentors opens"))
    recruitment_closes = models.DateTimeField(_("recruitment of mentors closes"))
    matching_opens = models.DateTimeField(
        _("matching opens"), help_text=_("Students can choose a mentor from then on.")
    )
    campaign_ends = models.DateTimeField(_("campaign ends"))
    is_current = models.BooleanField(
        _("current campaign"), default=False, help_text=_("Exactly one campaign is current at a time.")
    )

    roadbook_min_days = models.PositiveSmallIntegerField(
        _("road-book notice (days)"),
        default=3,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text=_("The road-book must reach the mentor at least this many days before the first interview."),
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("request expiry (days)"),
        default=7,
        validators=[MinValueValidator(1)],
        help_text=_("A mentorship request left unanswered this long expires."),
    )

    # Reminder offsets, used by the periodic reminder sweeps.
    recruitment_closing_reminder_days = models.PositiveSmallIntegerField(
        _("recruitment closing reminder (days before)"), default=7
    )
    no_mentor_reminder_days = models.PositiveSmallIntegerField(
        _("student without a mentor reminder (days after matching opens)"), default=14
    )
    request_unanswered_reminder_days = models.PositiveSmallIntegerField(
        _("unanswered request reminder (days)"), default=3
    )
    roadbook_due_reminder_days = models.PositiveSmallIntegerField(
        _("road-book due reminder (days before the deadline)"), default=2
    )
    evaluation_pending_reminder_days = models.PositiveSmallIntegerField(
        _("evaluation pending reminder (days after the interview)"), default=2
    )
    no_follow_up_reminder_weeks = models.PositiveSmallIntegerField(
        _("no follow-up reminder (weeks after the first interview)"), default=6
    )
    final_form_reminder_days = models.PositiveSmallIntegerField(
        _("final form reminder (days before the campaign ends)"), default=14
    )
    # Data protection (mentoring.retention): then road-books, CVs, the text of evaluations and
    # messages are erased; statuses, dates and outcomes stay for the statistics.
    retention_months = models.PositiveSmallIntegerField(
        _("retention period (months after the campaign ends)"),
        default=12,
        # In the database too: code that predates the column (a rolling deploy, a migration's
        # historical model) still inserts campaigns.
        db_default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Then road-books, CVs, the text of evaluation forms and messages are erased; students are told "
            "30 days before."
        ),
    )

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-recruitment_opens"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_campaign"
            ),
            models.CheckConstraint(
                condition=models.Q(recruitment_opens__lt=models.F("recruitment_closes"))
                & models.Q(recruitment_closes__lte=models.F("matching_opens"))
                & models.Q(matching_opens__lt=models.F("campaign_ends")),
                name="campaign_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Making this campaign current retires the previous one in the same transaction, so the
        # partial unique constraint above never sees two.
        with transaction.atomic():
            if self.is_current:
                Campaign.objects.filter(is_current=True).exclude(pk=self.pk).update(is_current=False)
            super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # save() retires the previous current campaign in its own transaction, so a campaign
        # made current always meets "one_current_campaign"; checked before save(), as a
        # ModelForm does, it would refuse every handover. The database still enforces it.
        super().validate_constraints(exclude={*(exclude or ()), "is_current"})

    def clean(self):
        super().clean()
        dates = [self.recruitment_opens, self.recruitment_closes, self.matching_opens, self.campaign_ends]
        if None in dates:
            return  # each missing date already has its own "required" error
        errors = {}
        if self.recruitment_closes <= self.recruitment_opens:
            errors["recruitment_closes"] = _("Recruitment must close after it opens.")
        if self.matching_opens < self.recruitment_closes:
            errors["matching_opens"] = _("Matching can open only once the recruitment of mentors has closed.")
        if self.campaign_ends <= self.matching_opens:
            errors["campaign_ends"] = _("The campaign must end after matching opens.")
        if errors:
            raise ValidationError(errors)

    @property
    def retention_ends(self) -> datetime:
        """When the campaign's personal data is erased (mentoring.retention)."""
        return self.campaign_ends + relativedelta(months=self.retention_months)

    def phase_at(self, when: datetime | None = None) -> Phase:
        when = when or timezone.now()
        if when < self.recruitment_opens:
            return Phase.UPCOMING
        if when < self.recruitment_closes:
            return Phase.RECRUITMENT
        if when < self.matching_opens:
            return Phase.PREPARATION
        if when < self.campaign_ends:
            return Phase.MATCHING
        return Phase.ENDED

    def roster(self, *, counting_erased: bool = False) -> models.QuerySet[User]:
        """The students this campaign is for: its active participations, on accounts still active.
        ``counting_erased``: for the statistics, the students whose data was erased since still
        count (their account is inactive, their roster entry kept)."""
        active = (
            models.Q(is_active=True) | models.Q(erased_at__isnull=False)
            if counting_erased
            else models.Q(is_active=True)
        )
        return User.objects.filter(
            active,
            role=User.Role.STUDENT,
            participations__campaign=self,
            participations__status="active",
        )

    @property
    def phase(self) -> Phase:
        return self.phase_at()

    def is_recruitment_open(self, when: datetime | None = None) -> bool:
        return self.phase_at(when) == Phase.RECRUITMENT

    def is_matching_open(self, when: datetime | None = None) -> bool:
        return self.phase_at(when) == Phase.MATCHING

    def timeline(self, current_step: int | None = None, when: datetime | None = None) -> list[TimelineStep]:
        """The charter's four steps with this campaign's dates.

        ``current_step`` lets a caller who knows where a person stands (for instance a student
        whose first interview is held) highlight a later step than the calendar alone would.
        """
        phase = self.phase_at(when)
        if current_step is None:
            current_step = {
                Phase.UPCOMING: 0,
                Phase.RECRUITMENT: 1,
                Phase.PREPARATION: 1,
                Phase.MATCHING: 2,
                Phase.ENDED: 5,
            }[phase]
        steps = [
            (
                1,
                _("Recruitment of alumni mentors"),
                _("Alumni volunteer to mentor a final-year student."),
                self.recruitment_opens,
                self.recruitment_closes,
            ),
            (
                2,
                _("Matching and first contact"),
                _(
                    "Each student chooses a mentor, contacts them to schedule an interview, and sends the "
                    "road-book at least %(days)s days before meeting."
                )
                % {"days": self.roadbook_min_days},
                self.matching_opens,
                None,
            ),
            (
                3,
                _("First interview"),
                _(
                    "The student presents the professional project and job-search strategy; the mentor gives "
                    "feedback, proposes an action plan and schedules a follow-up."
                ),
                None,
                None,
            ),
            (
                4,
                _("Follow-up interviews"),
                _(
                    "Progress of the job search or the first months in the new job; coaching by the Alumni "
                    "Career Department if needed."
                ),
                None,
                self.campaign_ends,
            ),
        ]
        return [
            TimelineStep(number, title, description, starts, ends, number == current_step, number < current_step)
            for number, title, description, starts, ends in steps
        ]
