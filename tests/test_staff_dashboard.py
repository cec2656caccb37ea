import pytest
from django.urls import reverse

from accounts.factories import AlumnusFactory, StudentFactory
from core.notices import send_notice
from evaluations.models import CoachingReferral
from mentoring.factories import CampaignFactory, MentorshipFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("mentoring:staff")


def test_staff_see_the_coaching_queue_and_undelivered_mails(client, staff_user, django_capture_on_commit_callbacks):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    CoachingReferral.objects.create(
        mentorship=mentorship, recommended_by=mentorship.mentor, reason="x", status=CoachingReferral.Status.REQUESTED
    )
    with django_capture_on_commit_callbacks(execute=False):
        send_notice("welcome", recipient=mentorship.student, obj=mentorship.student)
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["coaching_requested"] == 1
    assert response.context["notices_undelivered"] == 1
    content = response.content.decode()
    assert "1 coaching session requested, to schedule" in content
    assert "/admin/evaluations/coachingreferral/?status__exact=requested" in content


def test_only_staff_open_the_dashboard(client):
    CampaignFactory.in_matching()
    assert client.get(DASHBOARD)["Location"].startswith(reverse("account_login"))
    for user in (StudentFactory(), AlumnusFactory()):
        client.force_login(user)
        assert client.get(DASHBOARD).status_code == 404
