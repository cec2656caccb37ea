"""Data protection at the same instant (PostgreSQL: real row locks): two retention sweeps erase
each mentorship once and tell each student once; two erasures of one account erase it once."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts.data_protection import user_erase
from core.models import SentNotice
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship
from mentoring.retention import erase_past_retention, retention_notices
from roadbook.factories import RoadbookFactory
from tests.test_double_clicks_concurrency import errors, run_concurrently

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    campaign = CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(campaign=campaign, capacity=10)
    for _ in range(6):
        RoadbookFactory(mentorship=MentorshipFactory.accepted(enrollment=enrollment))
    return campaign


def test_two_sweeps_at_once_erase_each_mentorship_once(campaign, settings):
    settings.RETENTION_BATCH_SIZE = 4
    with time_machine.travel(campaign.retention_ends + timedelta(hours=1)):
        outcomes = run_concurrently([erase_past_retention, erase_past_retention])
        assert errors(outcomes) == []
        # Each run took rows the other did not hold; together, no more than all of them.
        assert sum(result for _kind, result in outcomes) == 6
        assert not Mentorship.objects.filter(data_erased_at__isnull=True).exists()
        assert erase_past_retention() == 0


def test_two_sweeps_at_once_tell_each_student_once(campaign):
    with time_machine.travel(campaign.retention_ends - timedelta(days=10)):
        outcomes = run_concurrently([retention_notices, retention_notices])
    assert errors(outcomes) == []
    assert SentNotice.objects.filter(kind="retention_notice").count() == 6


def test_two_erasures_of_one_account_at_once_erase_it_once(campaign):
    student = Mentorship.objects.first().student
    outcomes = run_concurrently([lambda: user_erase(user=student), lambda: user_erase(user=student)])
    assert errors(outcomes) == []
    assert sorted(kind for kind, _result in outcomes) == ["ok", "refused"]
    user_type = ContentType.objects.get_for_model(student)
    changes = LogEntry.objects.filter(
        content_type=user_type, object_id=student.pk, action=LogEntry.Action.UPDATE, changes__has_key="erased_at"
    )
    assert changes.count() == 1
