import io
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from mentoring import services
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Phase

pytestmark = pytest.mark.django_db


def counts():
    return User.objects.count(), Campaign.objects.count(), EmailAddress.objects.count()


def test_seed_demo_creates_the_documented_accounts_and_campaign(client):
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.current()
    assert campaign.phase == Phase.MATCHING
    alumni = User.objects.filter(role=User.Role.ALUMNUS, is_staff=False)
    students = User.objects.filter(role=User.Role.STUDENT)
    assert alumni.count() == 30
    assert students.count() == 20
    assert alumni.values("alumnus_profile__sector").distinct().count() >= 10
    assert alumni.values("alumnus_profile__city").distinct().count() >= 8
    for email in ["student@example.org", "mentor@example.org", "staff@example.org"]:
        assert client.login(email=email, password="demo-mentoring"), email
    assert User.objects.get(email="staff@example.org").is_staff


def test_seed_demo_twice_creates_nothing_new(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert "created: 0 users, 0 campaigns" in capsys.readouterr().out


def all_counts():
    return (*counts(), MentorEnrollment.objects.count(), Mentorship.objects.count())


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def demo_requests():
    mentor = User.objects.get(email="mentor@example.org")
    return Mentorship.objects.filter(enrollment__alumnus=mentor)


def test_seeding_again_after_a_student_withdrew_and_chose_again_creates_nothing():
    seed()
    pending = demo_requests().get(status=Mentorship.Status.REQUESTED)
    services.mentorship_withdraw(mentorship=pending, student=pending.student)
    elsewhere = MentorEnrollment.objects.exclude(alumnus__email="mentor@example.org").order_by("pk").first()
    services.mentorship_request(student=pending.student, enrollment=elsewhere, message="Second choice")
    before = all_counts()

    seed()

    assert all_counts() == before
    assert Mentorship.objects.live_for(pending.student, pending.campaign).get().enrollment == elsewhere


def test_seeding_an_ended_demo_opens_matching_again_and_the_mentor_can_accept_the_request():
    seed()
    before = all_counts()
    with time_machine.travel(timezone.now() + timedelta(days=400)):
        assert Campaign.objects.current().phase == Phase.ENDED
        seed()
        campaign = Campaign.objects.current()
        assert campaign.phase == Phase.MATCHING
        assert all_counts() == before
        pending = demo_requests().get(status=Mentorship.Status.REQUESTED)
        assert timezone.now() - pending.requested_at < timedelta(days=2)
        accepted = services.mentorship_accept(mentorship=pending, mentor=pending.mentor)
    assert accepted.status == Mentorship.Status.ACCEPTED


def test_seeding_refreshes_a_request_left_pending_so_it_never_expires():
    seed()
    pending = demo_requests().get(status=Mentorship.Status.REQUESTED)
    Mentorship.objects.filter(pk=pending.pk).update(requested_at=timezone.now() - timedelta(days=30))
    seed()
    pending.refresh_from_db()
    assert not pending.is_overdue()
    assert services.mentorship_accept(mentorship=pending, mentor=pending.mentor).status == Mentorship.Status.ACCEPTED


def test_a_demo_student_without_a_mentor_sees_suggestions_with_reasons(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(email="student04@example.org"))
    response = client.get("/mentors/")
    suggestions = response.context["suggestions"]
    assert len(suggestions) == 3
    assert all(reasons for _enrollment, reasons in suggestions)
    assert any(reason.startswith("works in ") for _enrollment, reasons in suggestions for reason in reasons)
    assert "Suggested for you" in response.content.decode()
