import cProfile
import pstats
import time

import pytest

from accounts.models import User
from mentoring import reminders
from mentoring.factories import CampaignFactory, ParticipationFactory
from mentoring.models import Participation

pytestmark = pytest.mark.django_db


def test_profile(django_capture_on_commit_callbacks):
    campaign = CampaignFactory.in_matching()
    p = ParticipationFactory(campaign=campaign)
    n = 2000
    users = User.objects.bulk_create(
        [User(email=f"s{i}@example.org", first_name="A", last_name=f"B{i}", role=User.Role.STUDENT) for i in range(n)]
    )
    Participation.objects.bulk_create(
        [Participation(campaign=campaign, student=u, **{k: getattr(p, k) for k in ()}) for u in users]
    )
    pr = cProfile.Profile()
    t = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=False):
        pr.enable()
        count = reminders.matching_open()
        pr.disable()
    print("count", count, time.perf_counter() - t)
    pstats.Stats(pr).sort_stats("cumulative").print_stats(30)
