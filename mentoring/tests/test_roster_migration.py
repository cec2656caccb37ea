"""The migration that fills the rosters of existing campaigns from the rule the reminders used before."""

from datetime import timedelta

from django.utils import timezone

BEFORE = [("mentoring", "0007_participation")]
AFTER = [("mentoring", "0008_roster_from_earlier_rule")]


class TestRosterFromTheEarlierRule:
    def test_every_campaign_gets_the_students_the_reminders_reached_and_nothing_is_lost(self, migrate):
        old = migrate(BEFORE)
        now = timezone.now()
        User = old.get_model("accounts", "User")
        StudentProfile = old.get_model("accounts", "StudentProfile")
        Campaign = old.get_model("mentoring", "Campaign")
        campaign = Campaign.objects.create(
            name="2026–2027",
            recruitment_opens=now - timedelta(days=60),
            recruitment_closes=now - timedelta(days=10),
            matching_opens=now - timedelta(days=10),
            campaign_ends=now + timedelta(days=200),
            is_current=True,
        )
        ends = campaign.campaign_ends

        def student(name, year=None, profile=True, **fields):
            user = User.objects.create(
                email=f"{name}@example.org", first_name=name, last_name="S", role="student", **fields
            )
            if profile:
                StudentProfile.objects.create(user=user, graduation_year=year)
            return user

        this_year = student("this-year", ends.year)
        last_year = student("year-before", ends.year - 1, date_joined=now - timedelta(days=400))
        no_year = student("no-year")
        no_profile = student("no-profile", profile=False)
        student("graduated", ends.year - 5)
        student("closed", ends.year, is_active=False)
        student("too-late", ends.year, date_joined=ends + timedelta(days=1))
        User.objects.create(email="alumnus@example.org", first_name="A", last_name="A", role="alumnus")
        # A student with a mentorship in the campaign is one of its students, whatever the profile says.
        mentee = student("mentee", ends.year - 5)
        alumnus = User.objects.get(email="alumnus@example.org")
        enrollment = old.get_model("mentoring", "MentorEnrollment").objects.create(
            alumnus=alumnus, campaign=campaign, capacity=2, status="approved"
        )
        old.get_model("mentoring", "Mentorship").objects.create(
            student=mentee, enrollment=enrollment, campaign=campaign, status="closed", message="Hello"
        )
        # Rows already there (a sign-up after the code was deployed) are kept as they are.
        Participation = old.get_model("mentoring", "Participation")
        Participation.objects.create(campaign=campaign, student=this_year, source="signup", joined_at=now)

        new = migrate(AFTER)
        Participation = new.get_model("mentoring", "Participation")
        roster = dict(Participation.objects.filter(campaign_id=campaign.pk).values_list("student_id", "source"))
        assert roster == {
            this_year.pk: "signup",
            last_year.pk: "upgrade",
            no_year.pk: "upgrade",
            no_profile.pk: "upgrade",
            mentee.pk: "upgrade",
        }
        assert set(Participation.objects.values_list("status", flat=True)) == {"active"}
        # Joined no earlier than the campaign opened.
        joined = Participation.objects.get(student_id=last_year.pk).joined_at
        assert joined == campaign.recruitment_opens

        back = migrate(BEFORE)
        remaining = back.get_model("mentoring", "Participation").objects.values_list("student_id", flat=True)
        assert list(remaining) == [this_year.pk]
