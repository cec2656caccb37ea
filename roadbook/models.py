import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from mentoring.models import Mentorship


def cv_upload_to(instance, filename):
    # A generated name: nothing the student typed reaches the file system, and names can't be guessed.
    return f"cv/{uuid.uuid4().hex}.pdf"


SECTIONS = [
    ("professional_project", _("Professional project")),
    ("path_and_motivations", _("Path and motivations")),
    ("specialization_link", _("How my specialization and experiences connect to my objective")),
    ("targets", _("Target sectors, roles and places")),
    ("job_search_strategy", _("Job-search strategy")),
    ("action_plan", _("Action plan for the coming weeks")),
    ("questions", _("Questions for my mentor")),
]
SECTION_NAMES = [name for name, _label in SECTIONS]
# Everything but the questions is needed before the road-book can be sent.
REQUIRED_SECTIONS = [name for name in SECTION_NAMES if name != "questions"]


class RoadbookQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        """Road-books a person may read: their own, their mentee's once accepted, or any for staff."""
        visible = Mentorship.objects.for_user(user).filter(status__in=Mentorship.OCCUPYING)
        return self.filter(mentorship__in=visible)


class Roadbook(models.Model):
    """The student's road-book: a working copy the student edits, and the versions they sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Sent to the mentor")

    mentorship = models.OneToOneField(
        Mentorship, verbose_name=_("mentorship"), on_delete=models.CASCADE, related_name="roadbook"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    professional_project = models.TextField(SECTIONS[0][1], max_length=5000, blank=True)
    path_and_motivations = models.TextField(SECTIONS[1][1], max_length=5000, blank=True)
    specialization_link = models.TextField(SECTIONS[2][1], max_length=5000, blank=True)
    targets = models.TextField(SECTIONS[3][1], max_length=3000, blank=True)
    job_search_strategy = models.TextField(SECTIONS[4][1], max_length=5000, blank=True)
    action_plan = models.TextField(SECTIONS[5][1], max_length=5000, blank=True)
    questions = models.TextField(SECTIONS[6][1], max_length=3000, blank=True)
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_upload_to, blank=True)
    cv_filename = models.CharField(_("CV file name"), max_length=255, blank=True)

    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(
        _("first sent"), null=True, blank=True, help_text=_("When the road-book first reached the mentor.")
    )
    is_late = models.BooleanField(_("sent late"), default=False)
    # Written by the interview services whenever the first interview gets, changes or loses its
    # agreed date: this app never reads interviews.
    first_interview_at = models.DateTimeField(_("first interview"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(
        _("due by"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The deadline of the 3-day rule, once the first interview has a date."),
    )
    mentor_first_opened_at = models.DateTimeField(_("first opened by the mentor"), null=True, blank=True)

    objects = RoadbookQuerySet.as_manager()

    class Meta:
        verbose_name = _("road-book")
        verbose_name_plural = _("road-books")

    def __str__(self):
        return _("Road-book of %(student)s") % {"student": self.mentorship.student}

    def get_absolute_url(self) -> str:
        return reverse("roadbook:edit", args=[self.mentorship_id])

    @property
    def is_sent(self) -> bool:
        return self.submitted_at is not None

    def is_late_now(self) -> bool:
        """Whether it reached the mentor after the deadline of the first interview's current date."""
        return self.submitted_at is not None and self.due_at is not None and self.submitted_at > self.due_at

    def sections(self) -> list[tuple[str, str, str]]:
        return [(name, label, getattr(self, name)) for name, label in SECTIONS]

    def snapshot(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SECTION_NAMES}

    def pdf_cache_key(self, version: "RoadbookVersion") -> str:
        """The key of a sent version's PDF: what was sent never changes; the first interview's
        date and the deadline printed on it may."""
        return version_pdf_cache_key(version.pk, self.first_interview_at, self.due_at)

    @property
    def latest_version(self) -> "RoadbookVersion | None":
        return self.versions.order_by("-number").first()


def version_pdf_cache_key(version_pk: int, first_interview_at, due_at) -> str:
    dates = [moment.timestamp() if moment else "" for moment in (first_interview_at, due_at)]
    return f"roadbook-version:{version_pk}:{dates[0]}:{dates[1]}"


class RoadbookVersion(models.Model):
    """What the mentor received at one submission."""

    roadbook = models.ForeignKey(Roadbook, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("sent at"))
    sections = models.JSONField(_("sections"))
    cv = models.CharField(_("CV file"), max_length=255, blank=True)
    cv_filename = models.CharField(_("CV file name"), max_length=255, blank=True)
    changed = models.JSONField(_("sections changed since the previous version"), default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("road-book version")
        verbose_name_plural = _("road-book versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["roadbook", "number"], name="one_roadbook_version_number")]

    def __str__(self):
        return f"{self.roadbook} v{self.number}"

    def labelled_sections(self) -> list[tuple[str, str, str, bool]]:
        return [(name, label, self.sections.get(name, ""), name in self.changed) for name, label in SECTIONS]
