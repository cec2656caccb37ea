"""The shared pages get their content from each app through mentoring's hook points."""

import pytest
from django.urls import reverse

from mentoring import contributions
from mentoring.factories import CampaignFactory, MentorshipFactory

pytestmark = pytest.mark.django_db


def _modules(hook):
    return [f"{f.__module__}.{f.__name__}" for f in hook]


def test_each_upper_app_registers_from_its_app_config():
    assert _modules(contributions.mentorship_sections) == [
        "roadbook.contributions.mentorship_section",
        "evaluations.contributions.interviews_section",
        "evaluations.contributions.coaching_section",
    ]
    assert _modules(contributions.next_steps) == [
        "roadbook.contributions.next_steps",
        "evaluations.contributions.next_steps",
    ]
    assert _modules(contributions.mentorship_summaries) == ["roadbook.contributions.status_lines"]
    assert _modules(contributions.timeline_step) == ["evaluations.contributions.timeline_step"]
    assert _modules(contributions.dashboard_panels) == [
        "roadbook.contributions.overdue_panel",
        "evaluations.contributions.coaching_panel",
        "evaluations.contributions.attention_panel",
    ]
    assert _modules(contributions.dashboard_figures) == [
        "roadbook.contributions.dashboard_figures",
        "evaluations.contributions.dashboard_figures",
    ]
    assert _modules(contributions.mentorship_export_columns) == [
        "roadbook.contributions.export_columns",
        "evaluations.contributions.export_columns",
    ]
    assert _modules(contributions.dashboard_reports) == ["evaluations.contributions.outcome_report"]


def test_registering_twice_keeps_one():
    hook = contributions.Hook("test", "A hook for this test.")
    contribution = hook.register(lambda area: [])
    hook.register(contribution)
    assert list(hook) == [contribution]


def test_the_mentorship_page_shows_the_later_steps_in_layer_order_once_accepted(client):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    client.force_login(mentorship.student)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    road_book, interviews, coaching = (
        page.index(f'id="{name}-title"') for name in ("roadbook", "interviews", "coaching")
    )
    assert road_book < interviews < coaching


def test_a_request_shows_none_of_them(client):
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory()
    client.force_login(mentorship.student)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    for name in ("roadbook", "interviews", "coaching"):
        assert f'id="{name}-title"' not in page
    assert reverse("roadbook:edit", args=[mentorship.pk]) not in page


def test_a_mentor_who_withdraws_leaves_no_interview_to_come(client, on_commit):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from evaluations.factories import InterviewFactory
    from evaluations.models import Interview
    from evaluations.reminders import interview_tomorrow
    from mentoring.services import enrollment_withdraw
    from roadbook.models import Roadbook

    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    interview = InterviewFactory.confirmed(mentorship=mentorship, start=timezone.now() + timedelta(hours=20))
    with on_commit():
        enrollment_withdraw(enrollment=mentorship.enrollment, by_staff=True)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    assert interview.cancel_reason == "The mentor withdrew from the programme."
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    assert roadbook.first_interview_at is None and roadbook.due_at is None
    cancellations = [m for m in mail.outbox if m.attachments and "CANCEL" in m.attachments[0][2]]
    assert sorted(m.to[0] for m in cancellations) == sorted([mentorship.student.email, mentorship.mentor.email])
    assert interview_tomorrow() == 0
