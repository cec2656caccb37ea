"""The admin lists staff use every day: who, which campaign, status, key dates, late?"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.notices import send_notice
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation
from mentoring.factories import CampaignFactory
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    CampaignFactory.in_matching()
    interview = InterviewFactory.confirmed()
    evaluation = Evaluation.objects.create(interview=interview, kind=Evaluation.Kind.FIRST)
    CoachingReferral.objects.create(
        mentorship=interview.mentorship, evaluation=evaluation, recommended_by=interview.mentorship.mentor, reason="x"
    )
    return interview


def _results(content):
    return content.split('id="result_list"')[1].split("</table>")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/roadbook/roadbook/",
        "/admin/evaluations/interview/",
        "/admin/evaluations/evaluation/",
        "/admin/evaluations/coachingreferral/",
    ],
)
def test_the_lists_name_the_student_the_mentor_and_the_campaign(admin_client, interview, path):
    content = admin_client.get(path).content.decode()
    for column in ("column-student", "column-mentor", "column-campaign"):
        assert column in content, column


def test_the_road_book_list_shows_its_deadline(admin_client, interview):
    roadbook = Roadbook.objects.get(mentorship=interview.mentorship)
    content = admin_client.get("/admin/roadbook/roadbook/").content.decode()
    assert "column-due_at" in content and roadbook.mentorship.student.get_full_name() in content


def test_sent_notices_read_as_words_and_filter_without_scanning_the_outbox(admin_client, interview, on_commit):
    with on_commit():
        send_notice("roadbook_overdue", recipient=interview.mentorship.student, obj=interview.mentorship, period="x")
        send_notice("welcome", recipient=interview.mentorship.student, obj=interview.mentorship.student)
    with CaptureQueriesContext(connection) as queries:
        content = admin_client.get("/admin/core/sentnotice/").content.decode()
    assert "Road-book overdue" in _results(content)
    assert "roadbook_overdue" not in _results(content)
    assert "?kind=welcome" in content  # every declared kind is offered, sent or not
    assert '<a href="?kind=interview_tomorrow">Interview tomorrow</a>' in content  # by its label
    outbox = [q["sql"] for q in queries.captured_queries if "sentnotice" in q["sql"].lower()]
    assert not [sql for sql in outbox if "DISTINCT" in sql.upper()]
    filtered = admin_client.get("/admin/core/sentnotice/?kind=welcome").content.decode()
    assert "Welcome" in _results(filtered) and "Road-book overdue" not in _results(filtered)


def test_sent_notices_read_in_the_staff_members_language(admin_user, admin_client, interview, on_commit):
    admin_user.language = "fr"
    admin_user.save()
    with on_commit():
        send_notice("roadbook_overdue", recipient=interview.mentorship.student, obj=interview.mentorship, period="x")
    content = admin_client.get("/admin/core/sentnotice/").content.decode()
    assert "Road-book en retard" in _results(content)
    assert "Road-book overdue" not in content
    assert '<a href="?kind=interview_tomorrow">Entretien demain</a>' in content  # the filter too


@pytest.mark.postgres
def test_a_large_outbox_is_counted_from_the_statistics_not_by_reading_it(
    admin_client, interview, on_commit, monkeypatch
):
    from core.admin import OutboxPaginator

    with on_commit():
        send_notice("welcome", recipient=interview.mentorship.student, obj=interview.mentorship.student)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE mentoring_sentnotice")  # as autovacuum does on a live database
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'mentoring_sentnotice'::regclass")
        estimate = cursor.fetchone()[0]
    assert estimate >= 1
    monkeypatch.setattr(OutboxPaginator, "ESTIMATE_ABOVE", estimate - 1)
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/core/sentnotice/").status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "sentnotice" in q["sql"]]
    assert counts == []
    # Filtered, the list counts exactly.
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/core/sentnotice/?kind=welcome").status_code == 200
    assert [q for q in queries.captured_queries if "COUNT(*)" in q["sql"] and "sentnotice" in q["sql"]]
