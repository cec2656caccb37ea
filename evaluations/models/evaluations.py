from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.dates import local_date, local_datetime
from evaluations.models.interviews import Interview
from mentoring.models import Mentorship


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Level(models.TextChoices):
    """A labelled scale: mentors judge in words, not bare numbers."""

    NEEDS_WORK = "needs_work", _("Needs a lot of work")
    FAIR = "fair", _("Fair, to be improved")
    GOOD = "good", _("Good")
    EXCELLENT = "excellent", _("Excellent")


class Situation(models.TextChoices):
    SEARCHING = "searching", _("Still searching")
    IN_JOB = "in_job", _("In a job")


class Outcome(models.TextChoices):
    JOB_FOUND = "job_found", _("Found a job")
    SEARCHING = "searching", _("Still searching")
    STUDIES = "studies", _("Further studies")


class EvaluationQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        return self.filter(interview__in=Interview.objects.for_user(user))


def evaluation_pdf_cache_key(evaluation_pk: int, completed_at, *, shared_only: bool) -> str:
    return f"evaluation:{evaluation_pk}:{completed_at.timestamp()}:{'shared' if shared_only else 'full'}"


class Evaluation(models.Model):
    """The mentor's form for one interview: a part shared with the student, a part for the
    mentor and staff only. Which fields a form shows depends on its kind (see ``FORM_FIELDS``)."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First-interview evaluation")
        FOLLOW_UP = "follow_up", _("Follow-up evaluation")
        FINAL = "final", _("Final evaluation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETED = "completed", _("Completed")

    interview = models.OneToOneField(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="evaluation"
    )
    kind = models.CharField(_("form"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    # First interview: the mentor's assessment (private).
    project_realistic = models.CharField(
        _("Is the project realistic?"), max_length=10, choices=Answer.choices, blank=True
    )
    project_realistic_why = models.TextField(_("Why is it (not) realistic?"), max_length=3000, blank=True)
    project_relevant = models.CharField(
        _("Is the project relevant?"), max_length=10, choices=Answer.choices, blank=True
    )
    project_relevant_why = models.TextField(_("Why is it (not) relevant?"), max_length=3000, blank=True)
    path_supports_objective = models.CharField(
        _("Do the path and specialization support the objective?"), max_length=12, choices=Level.choices, blank=True
    )
    presentation_clarity = models.CharField(
        _("Clarity of the presentation"), max_length=12, choices=Level.choices, blank=True
    )
    strategy_quality = models.CharField(
        _("Quality of the job-search strategy and action plan"), max_length=12, choices=Level.choices, blank=True
    )
    # First interview: feedback (shared).
    feedback_project = models.TextField(_("Feedback on the professional project"), max_length=5000, blank=True)
    feedback_cv = models.TextField(_("Feedback on the CV"), max_length=5000, blank=True)
    feedback_strategy = models.TextField(_("Feedback on the job-search strategy"), max_length=5000, blank=True)
    strengths = models.TextField(_("Strengths"), max_length=3000, blank=True)
    advice = models.TextField(_("Advice"), max_length=5000, blank=True)
    action_plan = models.TextField(_("Action plan agreed for the coming weeks"), max_length=5000, blank=True)

    # Follow-up (shared).
    situation = models.CharField(_("Situation"), max_length=10, choices=Situation.choices, blank=True)
    job_employer = models.CharField(_("Employer"), max_length=150, blank=True)
    job_role = models.CharField(_("Role"), max_length=150, blank=True)
    job_start_date = models.DateField(_("Start date"), null=True, blank=True)
    progress = models.TextField(_("Progress since last time"), max_length=5000, blank=True)
    difficulties = models.TextField(_("Difficulties"), max_length=5000, blank=True)
    questions_raised = models.TextField(_("Questions raised"), max_length=5000, blank=True)
    next_steps = models.TextField(_("Next steps"), max_length=5000, blank=True)

    # Final (outcome shared; the assessments private).
    outcome = models.CharField(_("Outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_sector = models.CharField(_("Sector"), max_length=150, blank=True)
    outcome_role = models.CharField(_("Role"), max_length=150, blank=True)
    outcome_date = models.DateField(_("Date"), null=True, blank=True)
    what_helped = models.TextField(_("What helped"), max_length=5000, blank=True)
    overall_assessment = models.TextField(
        _("Overall assessment of the student's progress"), max_length=5000, blank=True
    )
    programme_view = models.TextField(_("Your view of the programme"), max_length=5000, blank=True)

    # Every form.
    next_meeting_at = models.DateTimeField(_("Next meeting"), null=True, blank=True)
    next_meeting_to_be_agreed = models.BooleanField(_("Next meeting to be agreed"), default=False)
    private_notes = models.TextField(
        _("Private notes"), max_length=5000, blank=True, help_text=_("For you and the Alumni Career Department only.")
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.interview.mentorship}"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED

    @property
    def status_tone(self) -> str:
        """The colour of its status badge."""
        return "success" if self.is_completed else "secondary"

    def pdf_cache_key(self, *, shared_only: bool) -> str:
        """The key of a completed form's PDF (it no longer changes); the student's copy holds
        its shared part only."""
        return evaluation_pdf_cache_key(self.pk, self.completed_at, shared_only=shared_only)

    def fields_for(self, *, shared_only: bool) -> list[tuple[str, str, object, bool]]:
        """(name, label, value, is_private) of the answered fields; the shared part alone for the student."""
        names = FORM_FIELDS[self.kind]["shared"] + ([] if shared_only else FORM_FIELDS[self.kind]["private"])
        rows = []
        for name in names:
            value = getattr(self, name)
            if value in ("", None, False):
                continue
            field = self._meta.get_field(name)
            if field.choices:
                value = getattr(self, f"get_{name}_display")()
            elif value is True:
                value = _("Yes")
            elif isinstance(value, datetime):
                value = local_datetime(value)
            elif isinstance(value, date):
                value = local_date(value)
            rows.append((name, field.verbose_name, value, name in FORM_FIELDS[self.kind]["private"]))
        return rows

    @classmethod
    def blank_rows(cls, kind: str) -> list[dict]:
        """The questions of an empty form of ``kind``, to print: label, help, the kind of answer
        (choices, tick, text or line), its choices, whether it is needed, whether private."""
        rows = []
        for part in ("private", "shared"):
            for name in FORM_FIELDS[kind][part]:
                field = cls._meta.get_field(name)
                if field.choices:
                    answer = "choices"
                else:
                    answer = {"BooleanField": "tick", "TextField": "text"}.get(field.get_internal_type(), "line")
                rows.append(
                    {
                        "label": field.verbose_name,
                        "help": field.help_text,
                        "answer": answer,
                        "choices": [label for value, label in field.choices if value != ""] if field.choices else [],
                        "needed": name in REQUIRED_FIELDS[kind],
                        "private": part == "private",
                    }
                )
        return rows


SHARED_END = ["next_meeting_at", "next_meeting_to_be_agreed"]
FORM_FIELDS = {
    Evaluation.Kind.FIRST: {
        "private": [
            "project_realistic",
            "project_realistic_why",
            "project_relevant",
            "project_relevant_why",
            "path_supports_objective",
            "presentation_clarity",
            "strategy_quality",
            "private_notes",
        ],
        "shared": [
            "feedback_project",
            "feedback_cv",
            "feedback_strategy",
            "strengths",
            "advice",
            "action_plan",
            *SHARED_END,
        ],
    },
    Evaluation.Kind.FOLLOW_UP: {
        "private": ["private_notes"],
        "shared": [
            "situation",
            "job_employer",
            "job_role",
            "job_start_date",
            "progress",
            "difficulties",
            "questions_raised",
            "advice",
            "next_steps",
            *SHARED_END,
        ],
    },
    Evaluation.Kind.FINAL: {
        "private": ["overall_assessment", "programme_view", "private_notes"],
        "shared": ["outcome", "outcome_sector", "outcome_role", "outcome_date", "what_helped", "advice"],
    },
}
# What "complete" requires, per form.
REQUIRED_FIELDS = {
    Evaluation.Kind.FIRST: [
        "project_realistic",
        "project_relevant",
        "path_supports_objective",
        "presentation_clarity",
        "strategy_quality",
        "feedback_project",
        "feedback_strategy",
        "action_plan",
    ],
    Evaluation.Kind.FOLLOW_UP: ["situation", "progress", "next_steps"],
    Evaluation.Kind.FINAL: ["outcome", "overall_assessment"],
}


class RecommendedContact(models.Model):
    """A contact the mentor recommends in a follow-up (shared with the student)."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation form"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    why = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("recommended contact")
        verbose_name_plural = _("recommended contacts")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class CoachingQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        return self.filter(mentorship__in=Mentorship.objects.for_user(user))


class CoachingReferral(models.Model):
    """The mentor recommends free coaching by the Alumni Career Department; staff follow it up."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended by the mentor")
        REQUESTED = "requested", _("Requested by the student")
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")

    OPEN = (Status.RECOMMENDED, Status.REQUESTED, Status.SCHEDULED)

    mentorship = models.ForeignKey(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="coaching_referrals"
    )
    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation form"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coaching_referrals",
    )
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why coaching would help"), max_length=3000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECOMMENDED)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    scheduled_for = models.DateTimeField(_("coaching session"), null=True, blank=True)
    staff_note = models.TextField(_("note to the student"), blank=True)
    created_at = models.DateTimeField(_("recommended at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CoachingQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching referral")
        verbose_name_plural = _("coaching referrals")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship"],
                condition=models.Q(status__in=["recommended", "requested", "scheduled"]),
                name="one_open_coaching_referral",
            )
        ]

    def __str__(self):
        return f"{self.mentorship.student} · {self.get_status_display()}"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED and self.scheduled_for is not None

    @property
    def can_be_requested(self) -> bool:
        """The student may still ask for the recommended session."""
        return self.status == self.Status.RECOMMENDED

    @property
    def status_tone(self) -> str:
        return "info"
