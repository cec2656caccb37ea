import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_query_budgets import Campaign

pytestmark = pytest.mark.django_db


def test_measure(client):
    c = Campaign()
    c.grow(5)
    from evaluations.factories import InterviewFactory  # noqa
    m = reverse("mentoring:mentorship", args=[c.focus.pk])
    out = []
    for name, user, url in [("staff", c.staff, "/staff/"), ("ms student", c.student, m), ("ms mentor", c.mentor, m), ("ms staff", c.staff, m)]:
        client.force_login(user)
        cache.clear()
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        out.append(f"== {name}: {len(q.captured_queries)}")
        out += ["   " + x["sql"][:300] for x in q.captured_queries]
    open("/tmp/wt14b/q.txt", "w").write("\n".join(out))
