"""One active interview per mentorship, and the road-book's stored deadline.

Before the constraint: a mentorship that holds more than one active (proposed or confirmed)
interview keeps its newest, and the older ones are cancelled with a reason anyone can read.
Then each road-book gets its first interview's date and deadline, written down from here (the
upper app), as the interview services now do on every change.
"""

from django.db import migrations, models
from django.db.models import Count

from roadbook import rules

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
    for mentorship_id in crowded:
        active = Interview.objects.filter(mentorship_id=mentorship_id, status__in=ACTIVE).order_by("-created_at")
        older = [interview.pk for interview in active[1:]]
        Interview.objects.filter(pk__in=older).update(
            status="cancelled", cancel_reason="Replaced by a newer proposal: one interview is scheduled at a time."
        )


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
        due_at = rules.roadbook_deadline(interview.mentorship.campaign, start)
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
