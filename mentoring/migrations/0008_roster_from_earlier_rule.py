"""Fills the roster of every existing campaign, so that nobody the reminders reached is lost on upgrade.

Until rosters existed, the reminders guessed a campaign's students from their accounts: active
students who joined before the campaign ended and whose expected graduation year is unknown or no
earlier than the year before it ends. Each campaign's roster gets exactly those students, plus
every student who already had a mentorship in it (a student with a mentor is obviously one of its
students, whatever their profile says). Rows are marked ``upgrade`` and joined no earlier than
the campaign's recruitment opened.

The reverse removes the rows this migration wrote and nothing else.
"""

from django.db import migrations
from django.db.models import Q

BATCH = 500


def fill_rosters(apps, schema_editor):
    Campaign = apps.get_model("mentoring", "Campaign")
    Mentorship = apps.get_model("mentoring", "Mentorship")
    Participation = apps.get_model("mentoring", "Participation")
    User = apps.get_model("accounts", "User")
    for campaign in Campaign.objects.all():
        by_rule = Q(
            Q(student_profile__graduation_year__isnull=True)
            | Q(student_profile__graduation_year__gte=campaign.campaign_ends.year - 1),
            is_active=True,
            date_joined__lt=campaign.campaign_ends,
        )
        with_a_mentorship = Q(pk__in=Mentorship.objects.filter(campaign=campaign).values("student_id"))
        already = Participation.objects.filter(campaign=campaign).values("student_id")
        students = (
            User.objects.filter(role="student")
            .filter(by_rule | with_a_mentorship)
            .exclude(pk__in=already)
            .values_list("pk", "date_joined")
            .order_by("pk")
        )
        rows = [
            Participation(
                campaign=campaign,
                student_id=pk,
                status="active",
                source="upgrade",
                joined_at=max(date_joined, campaign.recruitment_opens),
            )
            for pk, date_joined in students.iterator()
        ]
        Participation.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def empty_rosters(apps, schema_editor):
    apps.get_model("mentoring", "Participation").objects.filter(source="upgrade").delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0007_participation")]

    operations = [migrations.RunPython(fill_rosters, empty_rosters)]
