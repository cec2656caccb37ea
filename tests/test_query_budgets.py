"""Query budgets (issue 14.6): every page of the personal area, the mentorship page, /staff/ and
the admin's lists take the same number of queries with 5 rows as with 200.

The rows are made with ``bulk_create`` (factories would take minutes for 200 mentorships): a
mentor with that many mentees, each with a road-book, a held first interview and its completed
form, a message and a sent notice; one of them, the mentorship under study, with that many
messages, held follow-ups and closed coaching referrals; that many approved mentors in the
directory.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.factories import AlumnusFactory, StaffFactory
from accounts.models import AlumnusProfile, StudentProfile, User
from core.models import SentNotice
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory, ParticipationFactory
from mentoring.models import MentorEnrollment, Mentorship, Message, Participation
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


class Campaign:
    def __init__(self):
        self.now = timezone.now()
        self.campaign = CampaignFactory.in_matching()
        self.enrollment = EnrollmentFactory(campaign=self.campaign, capacity=20)
        MentorEnrollment.objects.filter(pk=self.enrollment.pk).update(capacity=1000)  # past the form's limit
        self.mentor = self.enrollment.alumnus
        self.focus = MentorshipFactory.accepted(enrollment=self.enrollment)
        ParticipationFactory(campaign=self.campaign, student=self.focus.student)
        self.student = self.focus.student
        self.seeker = ParticipationFactory(campaign=self.campaign).student  # still choosing a mentor
        self.staff = StaffFactory()
        self.superuser = AlumnusFactory(is_staff=True, is_superuser=True)
        self.rows = 0

    def grow(self, n):
        """``n`` more of everything."""
        start, self.rows = self.rows, self.rows + n
        students = User.objects.bulk_create(
            User(email=f"s{i}@students.test", first_name=f"S{i}", last_name="L", role=User.Role.STUDENT)
            for i in range(start, self.rows)
        )
        StudentProfile.objects.bulk_create(StudentProfile(user=user) for user in students)
        Participation.objects.bulk_create(Participation(campaign=self.campaign, student=user) for user in students)
        mentorships = Mentorship.objects.bulk_create(
            Mentorship(
                student=user,
                enrollment=self.enrollment,
                campaign=self.campaign,
                status=Mentorship.Status.ACCEPTED,
                message="Hello",
                responded_at=self.now,
            )
            for user in students
        )
        held = self.now - timedelta(days=20)
        interviews = Interview.objects.bulk_create(
            Interview(
                mentorship=m,
                kind=kind,
                status=Interview.Status.HELD,
                start=held,
                mode="video",
                link="https://meet.example.org/x",
                proposed_by=m.student,
            )
            for m, kind in [(m, Interview.Kind.FIRST) for m in mentorships]
            + [(self.focus, Interview.Kind.FOLLOW_UP)] * n
        )
        Evaluation.objects.bulk_create(
            Evaluation(interview=i, kind="first", status=Evaluation.Status.COMPLETED, completed_at=held)
            for i in interviews
        )
        Roadbook.objects.bulk_create(
            Roadbook(mentorship=m, status="submitted", submitted_at=held, first_interview_at=held, due_at=held)
            for m in mentorships
        )
        Message.objects.bulk_create(
            Message(mentorship=m, author=m.student, body="Tuesday?") for m in [*mentorships, *[self.focus] * n]
        )
        CoachingReferral.objects.bulk_create(
            CoachingReferral(mentorship=m, recommended_by=self.mentor, reason="Practice.", status="done")
            for m in [*mentorships, *[self.focus] * n]
        )
        mentors = User.objects.bulk_create(
            User(email=f"a{i}@alumni.test", first_name=f"A{i}", last_name="L", role=User.Role.ALUMNUS)
            for i in range(start, self.rows)
        )
        AlumnusProfile.objects.bulk_create(AlumnusProfile(user=user) for user in mentors)
        MentorEnrollment.objects.bulk_create(
            MentorEnrollment(alumnus=user, campaign=self.campaign, status="approved", capacity=2, offers_video=True)
            for user in mentors
        )
        mentorship_type = ContentType.objects.get_for_model(Mentorship)
        SentNotice.objects.bulk_create(
            SentNotice(
                kind="request_accepted",
                content_type=mentorship_type,
                object_id=m.pk,
                recipient=m.student,
                email=m.student.email,
                subject="Accepted",
                body_text="Accepted",
                body_html="<p>Accepted</p>",
            )
            for m in mentorships
        )


def pages(c):
    """(name, who, URL) of every page under budget."""
    mentorship = reverse("mentoring:mentorship", args=[c.focus.pk])
    listed = [
        (
            f"admin {model._meta.label}",
            c.superuser,
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
        )
        for model in (
            User,
            MentorEnrollment,
            Participation,
            Mentorship,
            Roadbook,
            Interview,
            Evaluation,
            CoachingReferral,
            SentNotice,
        )
    ]
    return [
        ("the student's /me/", c.student, "/me/"),
        ("the mentor's /me/", c.mentor, "/me/"),
        ("the directory", c.seeker, reverse("mentoring:directory")),
        ("the mentorship page, student", c.student, mentorship),
        ("the mentorship page, mentor", c.mentor, mentorship),
        ("the mentorship page, staff", c.staff, mentorship),
        ("/staff/", c.staff, "/staff/"),
        *listed,
    ]


def count_queries(client, c):
    counts = {}
    for name, user, url in pages(c):
        client.force_login(user)
        cache.clear()  # each page cold: the directory's suggestions are computed, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries.captured_queries)
    return counts


def test_every_page_takes_the_same_number_of_queries_for_5_and_200_rows(client):
    c = Campaign()
    c.grow(5)
    few = count_queries(client, c)
    c.grow(195)
    many = count_queries(client, c)
    grown = {name: (few[name], many[name]) for name in few if few[name] != many[name]}
    assert grown == {}, f"pages whose queries grow with their rows (5 rows, 200 rows): {grown}"


def test_the_mentorship_page_reads_its_interviews_and_referrals_once_in_at_most_10_queries(client):
    c = Campaign()
    c.grow(5)
    # The first interview's dates only proposed: the road-book's status reads the earliest of them
    # in the query that reads the road-book.
    InterviewFactory(mentorship=c.focus, slot__start=c.now + timedelta(days=10))
    assert not Roadbook.objects.filter(mentorship=c.focus, due_at__isnull=False).exists()
    for user in (c.student, c.mentor, c.staff):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("mentoring:mentorship", args=[c.focus.pk]))
        assert response.status_code == 200
        assert "For the earliest date proposed" in response.content.decode(), "the road-book's status"
        reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
        assert sum('FROM "evaluations_interview"' in sql for sql in reads) == 1
        assert sum('FROM "evaluations_coachingreferral"' in sql for sql in reads) == 1
        assert sum('FROM "evaluations_interviewslot"' in sql for sql in reads) == 1, "the proposed dates, folded"
        # Staff read confidential records with the Career Department's permission: their
        # permissions are read once a request (one query, accounts.backends).
        assert len(reads) <= (10 if user is c.staff else 9), reads


def test_staff_dashboard_takes_at_most_10_queries_whatever_the_campaign_size(client):
    """Every number and panel count in one query, each list of who needs attention in one with its
    total, the campaigns once, the permissions once; the session is not written on every request."""
    c = Campaign()
    client.force_login(c.staff)
    counts = []
    for rows in (5, 195):
        c.grow(rows)
        client.get("/staff/")  # the session's first request records the activity
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/")
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
        with CaptureQueriesContext(connection) as picked:
            assert client.get(f"/staff/?campaign={c.campaign.pk}").status_code == 200
        assert len(picked.captured_queries) == counts[-1], "a campaign picked costs no query more"
        tables = [sql for q in queries.captured_queries if 'FROM "evaluations_interview"' in (sql := q["sql"])]
        # The interviews' figures (in the one figures query) and the two lists of interviews.
        assert len(tables) == 3, tables
    assert counts[0] == counts[1] <= 10, counts
