from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ParticipationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Participation.Status.ACTIVE)

    def withdrawn(self):
        return self.filter(status=Participation.Status.WITHDRAWN)


class Participation(models.Model):
    """A student on a campaign's roster: the campaign is for them, its reminders reach them.

    A student joins at sign-up during the campaign, by import, or by staff; staff may remove a
    student later (withdrawn, with the reason), and the row stays as the record of it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        IMPORT = "import", _("Import")
        STAFF = "staff", _("Staff")
        # Rosters of the campaigns that existed before rosters did, filled by a migration from
        # the rule the reminders used until then.
        UPGRADE = "upgrade", _("Upgrade (earlier rule)")

    campaign = models.ForeignKey(
        "mentoring.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="participations"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="participations",
        limit_choices_to={"role": "student"},
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(_("joined by"), max_length=12, choices=Source.choices, default=Source.STAFF)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("rosters")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "student"], name="one_participation_per_campaign"),
            models.CheckConstraint(
                condition=models.Q(status="active", withdrawn_at__isnull=True)
                | models.Q(status="withdrawn", withdrawn_at__isnull=False),
                name="participation_withdrawn_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.student} · {self.campaign}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
