"""The demo follows the charter: mentees with a confirmed or held first interview sent their
road-book with a CV 3 days before, but one who sent it late; the demo mentor has a road-book to
read before an upcoming confirmed interview."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Interview
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


def firsts():
    return Interview.objects.filter(
        kind=Interview.Kind.FIRST,
        status__in=[Interview.Status.CONFIRMED, Interview.Status.HELD],
        mentorship__campaign__is_current=True,
    ).select_related("mentorship__student", "mentorship__roadbook")


def test_every_confirmed_or_held_first_interview_had_its_road_book_and_one_came_late(client):
    call_command("seed_demo", stdout=io.StringIO())
    late = []
    for interview in firsts():
        roadbook = interview.mentorship.roadbook
        who = interview.mentorship.student.email
        assert roadbook.submitted_at and roadbook.versions.count() == 1, who
        assert roadbook.cv and roadbook.cv.read(5) == b"%PDF-", who
        assert roadbook.submitted_at > interview.mentorship.responded_at, who
        assert roadbook.is_late == (roadbook.submitted_at > interview.start - timedelta(days=3)), who
        if roadbook.is_late:
            late.append(who)
    assert late == ["student02@example.org"]
    # Seeding again changes none of it.
    before = list(Roadbook.objects.order_by("pk").values_list("pk", "submitted_at", "cv"))
    call_command("seed_demo", stdout=io.StringIO())
    assert list(Roadbook.objects.order_by("pk").values_list("pk", "submitted_at", "cv")) == before


def test_the_demo_mentor_has_a_road_book_to_read_before_an_upcoming_confirmed_interview(client):
    call_command("seed_demo", stdout=io.StringIO())
    upcoming = [i for i in firsts() if i.mentorship.mentor.email == "mentor@example.org" and i.start > timezone.now()]
    assert len(upcoming) == 1
    roadbook = upcoming[0].mentorship.roadbook
    assert not roadbook.is_late and roadbook.mentor_first_opened_at is None
    assert client.login(email="mentor@example.org", password="demo-mentoring")
    content = client.get(reverse("mentoring:me")).content.decode()
    name = upcoming[0].mentorship.student.get_full_name()
    assert f"{name} sent you the road-book: read it before your first interview." in content
    # The demo student's own road-book is still a draft, dates only proposed.
    student = Roadbook.objects.get(mentorship__student__email="student@example.org")
    assert student.submitted_at is None


def test_a_demo_seeded_before_gets_the_missing_road_books(client):
    call_command("seed_demo", stdout=io.StringIO())
    on_time = Roadbook.objects.filter(mentorship__student__email="student03@example.org")
    on_time.update(submitted_at=None, status=Roadbook.Status.DRAFT)
    on_time.get().versions.all().delete()
    call_command("seed_demo", stdout=io.StringIO())
    roadbook = on_time.get()
    assert roadbook.submitted_at is not None and not roadbook.is_late
