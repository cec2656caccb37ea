from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HiddenSuggestion(models.Model):
    """A mentor a student asked not to be suggested again (the directory still lists them)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    enrollment = models.ForeignKey(
        "mentoring.MentorEnrollment", verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="+"
    )
    hidden_at = models.DateTimeField(_("hidden at"), default=timezone.now)

    class Meta:
        verbose_name = _("hidden suggestion")
        verbose_name_plural = _("hidden suggestions")
        constraints = [models.UniqueConstraint(fields=["student", "enrollment"], name="one_hidden_suggestion")]

    def __str__(self):
        return f"{self.student} ✕ {self.enrollment}"
