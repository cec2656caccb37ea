from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SentNotice(models.Model):
    """The log that makes every notice exactly-once.

    A row is written in the same transaction that sends the mail; its unique key
    (kind, object, recipient, period) makes a second attempt send nothing. ``period`` tells apart
    the occurrences of a reminder that may legitimately repeat (for instance an ISO week).
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="sent_notices"
    )
    period = models.CharField(_("period"), max_length=32, blank=True, default="")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sent notice")
        verbose_name_plural = _("sent notices")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "period"], name="notice_sent_once"
            )
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
