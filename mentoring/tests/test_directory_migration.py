"""The migrations that keep the directory's order and search on the row fill them for the rows
already there, and go back cleanly (on SQLite too, where the search has no index)."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

BEFORE = [("mentoring", "0008_roster_from_earlier_rule"), ("accounts", "0005_import_permission")]
AFTER = [("mentoring", "0010_directory_order_on_the_row")]


def test_existing_mentors_get_their_places_order_and_search(migrate):
    old = migrate(BEFORE)
    now = timezone.now()
    User = old.get_model("accounts", "User")
    campaign = old.get_model("mentoring", "Campaign").objects.create(
        name="2026–2027",
        recruitment_opens=now - timedelta(days=60),
        recruitment_closes=now - timedelta(days=10),
        matching_opens=now - timedelta(days=10),
        campaign_ends=now + timedelta(days=200),
        is_current=True,
    )
    alumnus = User.objects.create(email="a@example.org", first_name="Zoé", last_name="Lefèvre", role="alumnus")
    old.get_model("accounts", "AlumnusProfile").objects.create(user=alumnus, bio="Vingt ans dans l'énergie")
    Enrollment = old.get_model("mentoring", "MentorEnrollment")
    full = Enrollment.objects.create(alumnus=alumnus, campaign=campaign, capacity=1, status="approved")
    other = User.objects.create(email="b@example.org", first_name="B", last_name="Abel", role="alumnus")
    free = Enrollment.objects.create(alumnus=other, campaign=campaign, capacity=2, status="approved")
    Mentorship = old.get_model("mentoring", "Mentorship")
    for status in ("accepted", "declined"):
        student = User.objects.create(email=f"{status}@example.org", first_name="S", last_name="S", role="student")
        Mentorship.objects.create(student=student, enrollment=full, campaign=campaign, status=status, message="Hi")

    new = migrate(AFTER)
    rows = {
        row["pk"]: row
        for row in new.get_model("mentoring", "MentorEnrollment").objects.values(
            "pk", "places_taken", "full", "sort_name", "search_vector"
        )
    }
    assert (rows[full.pk]["places_taken"], rows[full.pk]["full"], rows[full.pk]["sort_name"]) == (1, True, "Lefèvre")
    assert (rows[free.pk]["places_taken"], rows[free.pk]["full"], rows[free.pk]["sort_name"]) == (0, False, "Abel")
    if connection.vendor == "postgresql":
        assert "energi" in rows[full.pk]["search_vector"]
        assert "lefevr" in rows[full.pk]["search_vector"]

    migrate(BEFORE)  # and back: nothing refuses
    assert Mentorship.objects.count() == 2
