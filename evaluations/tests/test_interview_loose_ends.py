"""Interviews, the loose ends: a no-show, staff changing an interview in the admin, and the
calendar file of a date being renegotiated."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from evaluations.factories import InterviewFactory
from evaluations.models import Evaluation, Interview
from evaluations.services import interviews as services
from roadbook.models import Roadbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def started():
    """A confirmed first interview that started an hour ago."""
    return InterviewFactory.started()


class TestNoShow:
    def test_the_mentor_marks_a_started_interview_as_missed_and_the_student_may_propose_again(
        self, client, started, on_commit
    ):
        mentorship = started.mentorship
        client.force_login(mentorship.mentor)
        page = client.get(started.get_absolute_url()).content.decode()
        assert "The student did not come?" in page
        with on_commit():
            response = client.post(reverse("evaluations:no_show", args=[started.pk]), {"note": "I waited 30 minutes."})
        assert response.status_code == 302
        started.refresh_from_db()
        assert started.status == Interview.Status.NO_SHOW and started.cancel_reason == "I waited 30 minutes."
        assert [m.to for m in mail.outbox] == [[mentorship.student.email]]
        assert "marked it as missed" in mail.outbox[0].body and "I waited 30 minutes." in mail.outbox[0].body
        # The road-book's deadline no longer follows the missed date; no evaluation form opens.
        assert Roadbook.objects.get(mentorship=mentorship).due_at is None
        assert not started.opens_evaluation()
        # The student proposes new dates for the first interview.
        assert services.next_interview_kind(mentorship, mentorship.student) == Interview.Kind.FIRST
        client.force_login(mentorship.student)
        page = client.get(started.get_absolute_url()).content.decode()
        assert reverse("evaluations:propose", args=[mentorship.pk]) in page
        client.force_login(mentorship.mentor)
        page = client.get(started.get_absolute_url()).content.decode()
        assert "proposes new dates for the first interview" in page

    def test_a_second_click_sends_nothing_more(self, started, on_commit):
        with on_commit():
            services.interview_mark_no_show(interview=started, by=started.mentorship.mentor)
            services.interview_mark_no_show(interview=started, by=started.mentorship.mentor)
        assert len(mail.outbox) == 1

    def test_refused_before_the_start_by_the_student_and_after_a_completed_form(self, client, started):
        future = InterviewFactory.confirmed()
        with pytest.raises(services.RuleError, match="has started"):
            services.interview_mark_no_show(interview=future, by=future.mentorship.mentor)
        with pytest.raises(services.RuleError, match="Only the mentor"):
            services.interview_mark_no_show(interview=started, by=started.mentorship.student)
        Evaluation.objects.create(interview=started, kind="first", status=Evaluation.Status.COMPLETED)
        with pytest.raises(services.RuleError, match="completed"):
            services.interview_mark_no_show(interview=started, by=started.mentorship.mentor)
        started.refresh_from_db()
        assert started.status == Interview.Status.CONFIRMED
        # Refused through the page too, with the reason, and nothing changes.
        client.force_login(future.mentorship.mentor)
        response = client.post(reverse("evaluations:no_show", args=[future.pk]), follow=True)
        assert "Only a confirmed interview that has started can be marked as missed." in response.content.decode()
        future.refresh_from_db()
        assert future.status == Interview.Status.CONFIRMED


class TestStaffChangesInTheAdmin:
    def _change(self, client, interview, **data):
        url = reverse("admin:evaluations_interview_change", args=[interview.pk])
        form = {
            "duration_minutes": interview.duration_minutes,
            "mode": interview.mode,
            "place": interview.place,
            "link": interview.link,
            "phone": interview.phone,
            "cancel_reason": interview.cancel_reason,
            "change_reason": interview.change_reason,
            "slots-TOTAL_FORMS": "0",
            "slots-INITIAL_FORMS": "0",
            "slots-MIN_NUM_FORMS": "0",
            "slots-MAX_NUM_FORMS": "1000",
            **data,
        }
        return client.post(url, form)

    def test_both_sides_get_the_updated_invitation(self, client, staff_user, on_commit):
        interview = InterviewFactory.confirmed()
        client.force_login(staff_user)
        with on_commit():
            response = self._change(client, interview, mode="in_person", place="Room B12, main building")
        assert response.status_code == 302, response.content.decode()[:2000]
        interview.refresh_from_db()
        assert interview.place == "Room B12, main building" and interview.sequence == 1
        people = {interview.mentorship.student.email, interview.mentorship.mentor.email}
        assert {m.to[0] for m in mail.outbox} == people
        for message in mail.outbox:
            assert "Room B12, main building" in message.body
            ics = Calendar.from_ical(message.attachments[0][1])
            event = ics.walk("VEVENT")[0]
            assert event["SEQUENCE"] == 1 and str(event["LOCATION"]) == "Room B12, main building"

    def test_a_change_the_invitation_does_not_show_sends_nothing(self, client, staff_user, on_commit):
        interview = InterviewFactory.confirmed()
        client.force_login(staff_user)
        with on_commit():
            assert self._change(client, interview, change_reason="Noted by phone.").status_code == 302
        interview.refresh_from_db()
        assert interview.change_reason == "Noted by phone." and interview.sequence == 0
        assert mail.outbox == []

    def test_a_mode_without_what_it_needs_is_refused(self, client, staff_user):
        interview = InterviewFactory.confirmed()
        client.force_login(staff_user)
        response = self._change(client, interview, mode="in_person", place="")
        assert response.status_code == 200
        assert "Give the place of an interview in person." in response.content.decode()
        interview.refresh_from_db()
        assert interview.mode == "video"


def test_the_calendar_file_of_a_date_being_renegotiated_says_so(client):
    interview = InterviewFactory.confirmed()
    client.force_login(interview.mentorship.student)
    url = reverse("evaluations:invite_ics", args=[interview.pk])
    event = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert event["STATUS"] == "CONFIRMED"
    services.interview_propose_other(
        interview=interview,
        by=interview.mentorship.student,
        starts=[interview.start + timedelta(days=2)],
        reason="An exam was moved.",
    )
    event = Calendar.from_ical(client.get(url).content).walk("VEVENT")[0]
    assert event["STATUS"] == "TENTATIVE"
    assert "being rescheduled" in str(event["SUMMARY"])
    assert "Being rescheduled" in str(event["DESCRIPTION"])
