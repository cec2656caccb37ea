"""One active interview per mentorship, and the road-book's stored deadline.

Before the constraint: where a mentorship holds more than one active (proposed or confirmed)
interview, the extra proposals nobody answered yet (never confirmed, no date agreed) are cancelled
with a reason anyone can read, keeping the newest one when nothing else is active. Two interviews
with agreed dates are not this migration's to choose between: it stops and names them, and staff
cancel one in the product (which tells both sides) before migrating again.

Then each road-book gets its first interview's date and deadline, written down from here (the
upper app), as the interview services now do on every change. The deadline is computed here as
``roadbook.rules`` did on the day of this migration, not imported: a migration keeps its meaning.
"""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

ACTIVE = ["proposed", "confirmed"]
WITH_A_DATE = ["proposed", "confirmed", "held"]


def keep_one_active_interview(apps, schema_editor):
    Interview = apps.get_model("evaluations", "Interview")
    crowded = (
        Interview.objects.filter(status__in=ACTIVE)
        .values("mentorship")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("mentorship", flat=True)
    )
    undecidable = []
    for mentorship_id in crowded:
        active = list(Interview.objects.filter(mentorship_id=mentorship_id, status__in=ACTIVE).order_by("-created_at"))
        unanswered = [i for i in active if i.status == "proposed" and i.start is None]
        dated = [i for i in active if i not in unanswered]
        # Keep what has a date; with none, keep the newest proposal.
        extra = unanswered if dated else unanswered[1:]
        Interview.objects.filter(pk__in=[i.pk for i in extra]).update(
            status="cancelled", cancel_reason="Replaced: one interview is scheduled at a time."
        )
        if len(dated) > 1:
            undecidable.append((mentorship_id, [i.pk for i in dated]))
    if undecidable:
        raise RuntimeError(
            "These mentorships have more than one interview with an agreed date; cancel the extra ones "
            "in the product, then migrate again: "
            + "; ".join(f"mentorship {m}: interviews {ids}" for m, ids in undecidable)
        )


def _deadline(campaign, start):
    # Calendar days in the school's time zone, as roadbook.rules.roadbook_deadline.
    return timezone.localtime(start) - timedelta(days=campaign.roadbook_min_days)


def write_roadbook_deadlines(apps, schema_editor):
    Interview = apps.get_model("evaluations", "Interview")
    Roadbook = apps.get_model("roadbook", "Roadbook")
    dated = (
        Interview.objects.filter(kind="first", status__in=WITH_A_DATE, start__isnull=False)
        .select_related("mentorship__campaign")
        .order_by("mentorship_id", "start")
    )
    latest = {}
    for interview in dated.iterator():
        latest[interview.mentorship_id] = interview  # ordered by start: the last one wins
    for interview in latest.values():
        start = interview.start
        due_at = _deadline(interview.mentorship.campaign, start)
        updated = Roadbook.objects.filter(mentorship_id=interview.mentorship_id).update(
            first_interview_at=start, due_at=due_at
        )
        if not updated:
            Roadbook.objects.create(mentorship_id=interview.mentorship_id, first_interview_at=start, due_at=due_at)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0004_interview_change_reason"),
        ("roadbook", "0003_due_date"),
    ]

    operations = [
        migrations.RunPython(keep_one_active_interview, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="interview",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["proposed", "confirmed"])),
                fields=("mentorship",),
                name="one_active_interview_per_mentorship",
            ),
        ),
        migrations.RunPython(write_roadbook_deadlines, migrations.RunPython.noop),
    ]
