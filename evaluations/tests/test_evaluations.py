import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.errors import RuleError
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview
from evaluations.services import coaching as coaching_services
from evaluations.services import evaluations as evaluation_services
from mentoring.factories import EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship

pytestmark = pytest.mark.django_db

FIRST_FORM = {
    "project_realistic": "partly",
    "project_realistic_why": "SECRET-ASSESSMENT: the salary target is high.",
    "project_relevant": "yes",
    "project_relevant_why": "Fits the specialization.",
    "path_supports_objective": "good",
    "presentation_clarity": "fair",
    "strategy_quality": "good",
    "feedback_project": "Your project is clear and well argued.",
    "feedback_cv": "Put the internship first.",
    "feedback_strategy": "Use the alumni network more.",
    "strengths": "Curiosity, rigour.",
    "advice": "Prepare a two-minute pitch.",
    "action_plan": "Rewrite the CV; contact three alumni.",
    "next_meeting_at": "",
    "next_meeting_to_be_agreed": "on",
    "private_notes": "SECRET-NOTE: seemed stressed.",
}


@pytest.fixture
def interview():
    """A confirmed first interview that started an hour ago."""
    return InterviewFactory.started()


def url(interview, name="evaluation"):
    return reverse(f"evaluations:{name}", args=[interview.pk])


def complete_first(client, interview, **overrides):
    client.force_login(interview.mentorship.mentor)
    return client.post(url(interview), {**FIRST_FORM, **overrides, "complete": "1"})


class TestOpening:
    def test_the_form_opens_when_the_interview_starts(self, client):
        interview = InterviewFactory.confirmed()
        client.force_login(interview.mentorship.mentor)
        response = client.get(url(interview), follow=True)
        assert "The evaluation form opens when the interview starts" in response.content.decode()
        assert not Evaluation.objects.exists()
        with time_machine.travel(interview.start):
            response = client.get(url(interview))
            assert response.status_code == 200
            assert "Is the project realistic?" in response.content.decode()
            # Reading the empty form writes nothing; the first save creates it.
            assert not Evaluation.objects.exists()
            client.post(url(interview), {"feedback_project": "Notes during the interview", "save": "1"})
        assert Evaluation.objects.get().kind == Evaluation.Kind.FIRST

    def test_the_mentor_sees_private_and_shared_parts_labelled(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        content = client.get(url(interview)).content.decode()
        assert "For you and the Alumni Career Department only" in content
        assert "Shared with the student" in content
        assert "Is the project realistic?" in content
        assert "Needs a lot of work" in content  # scales have labels, not bare numbers


class TestDrafts:
    def test_a_draft_saves_and_an_invalid_field_keeps_the_others(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        response = client.post(
            url(interview),
            {
                "feedback_project": "Kept feedback",
                "project_realistic": "maybe",
                "next_meeting_at": "not a date",
                "save": "1",
            },
        )
        assert response.status_code == 200
        evaluation = Evaluation.objects.get()
        assert evaluation.feedback_project == "Kept feedback"
        assert evaluation.status == Evaluation.Status.DRAFT
        assert "not a date" in response.content.decode()

    def test_completing_needs_the_required_answers(self, client, interview):
        response = complete_first(client, interview, feedback_project="", project_realistic="")
        assert response.status_code == 200
        assert "Needed to complete the form." in response.content.decode()
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CONFIRMED

    def test_a_next_meeting_or_to_be_agreed_is_required(self, client, interview):
        response = complete_first(client, interview, next_meeting_to_be_agreed="")
        assert "to be agreed" in response.content.decode()
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT


class TestCompleting:
    def test_completing_marks_the_interview_held_and_tells_the_student(self, client, interview, on_commit):
        with on_commit():
            response = complete_first(client, interview)
        assert response.status_code == 302
        interview.refresh_from_db()
        assert interview.status == Interview.Status.HELD
        evaluation = Evaluation.objects.get()
        assert evaluation.status == Evaluation.Status.COMPLETED
        [notice] = mail.outbox
        assert notice.to == [interview.mentorship.student.email]
        assert interview.get_absolute_url() in notice.body
        assert "SECRET" not in notice.body

    def test_a_completed_form_no_longer_changes(self, client, interview):
        complete_first(client, interview)
        client.post(url(interview), {**FIRST_FORM, "feedback_project": "Changed later", "save": "1"})
        assert Evaluation.objects.get().feedback_project == FIRST_FORM["feedback_project"]

    def test_a_next_meeting_date_becomes_a_proposed_follow_up(self, client, interview, on_commit):
        next_meeting = (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0)
        with on_commit():
            complete_first(
                client,
                interview,
                next_meeting_to_be_agreed="",
                next_meeting_at=timezone.localtime(next_meeting).strftime("%Y-%m-%dT%H:%M"),
            )
        follow_up = Interview.objects.get(kind=Interview.Kind.FOLLOW_UP)
        assert follow_up.status == Interview.Status.PROPOSED
        assert follow_up.proposed_by == interview.mentorship.mentor
        assert [s.start for s in follow_up.slots.all()] == [next_meeting]
        assert follow_up.mode == interview.mode and follow_up.link == interview.link
        assert {m.to[0] for m in mail.outbox} == {interview.mentorship.student.email}
        # The student confirms it through the scheduling of step 3.
        client.force_login(interview.mentorship.student)
        client.post(url(follow_up, "confirm"), {"slot": follow_up.slots.get().pk})
        follow_up.refresh_from_db()
        assert follow_up.status == Interview.Status.CONFIRMED


class TestSharedAndPrivate:
    def test_the_student_reads_only_the_shared_part_in_html_and_pdf(self, client, interview):
        complete_first(client, interview)
        client.force_login(interview.mentorship.student)
        for page in (url(interview), interview.get_absolute_url()):
            content = client.get(page).content.decode()
            assert "Your project is clear and well argued." in content, page
            assert "Rewrite the CV; contact three alumni." in content, page
            assert "SECRET" not in content, page
            assert "Is the project realistic?" not in content, page
        pdf = client.get(url(interview, "evaluation_pdf"))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        assert "no-store" in pdf["Cache-Control"]
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Your project is clear and well argued." in text
        assert "SECRET" not in text

    @pytest.mark.parametrize("who", ["mentor", "staff"])
    def test_mentor_and_staff_read_everything(self, client, interview, staff_user, who):
        complete_first(client, interview)
        client.force_login(interview.mentorship.mentor if who == "mentor" else staff_user)
        content = client.get(url(interview)).content.decode()
        assert "SECRET-ASSESSMENT" in content and "SECRET-NOTE" in content
        pdf = client.get(url(interview, "evaluation_pdf"))
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "SECRET-NOTE" in text

    def test_the_student_cannot_see_a_draft(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        client.post(url(interview), {**FIRST_FORM, "save": "1"})
        client.force_login(interview.mentorship.student)
        assert client.get(url(interview)).status_code == 404
        assert client.get(url(interview, "evaluation_pdf")).status_code == 404
        assert "SECRET" not in client.get(interview.get_absolute_url()).content.decode()

    @pytest.mark.parametrize("name", ["evaluation", "evaluation_pdf"])
    def test_strangers_get_404(self, client, interview, name):
        complete_first(client, interview)
        other = MentorshipFactory.accepted(enrollment=EnrollmentFactory(campaign=interview.mentorship.campaign))
        for stranger in (other.student, other.mentor):
            client.force_login(stranger)
            assert client.get(url(interview, name)).status_code == 404
            assert client.post(url(interview, name), {**FIRST_FORM, "save": "1"}).status_code in (404, 405)

    def test_the_student_cannot_write_the_form(self, client, interview):
        client.force_login(interview.mentorship.student)
        assert client.post(url(interview), {**FIRST_FORM, "complete": "1"}).status_code == 404
        assert not Evaluation.objects.exists()


class TestFollowUpAndFinal:
    @pytest.fixture
    def follow_up(self, interview):
        start = (timezone.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
        with time_machine.travel(start - timedelta(days=1)):
            return InterviewFactory.confirmed_follow_up(interview.mentorship, start=start)

    def test_follow_up_form_with_recommended_contacts(self, client, follow_up, on_commit):
        client.force_login(follow_up.mentorship.mentor)
        data = {
            "situation": "in_job",
            "job_employer": "RTE",
            "job_role": "Data analyst",
            "job_start_date": "2027-01-15",
            "progress": "Signed an offer.",
            "next_steps": "Onboarding.",
            "next_meeting_to_be_agreed": "on",
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Jeanne Martin",
            "contacts-0-organisation": "Enedis",
            "contacts-0-why": "Runs the data team.",
            "contacts-1-name": "",
            "complete": "1",
        }
        with on_commit():
            response = client.post(url(follow_up), data)
        assert response.status_code == 302
        evaluation = Evaluation.objects.get(interview=follow_up)
        assert evaluation.kind == Evaluation.Kind.FOLLOW_UP
        assert [c.name for c in evaluation.contacts.all()] == ["Jeanne Martin"]
        client.force_login(follow_up.mentorship.student)
        content = client.get(url(follow_up)).content.decode()
        assert "Jeanne Martin" in content and "Runs the data team." in content

    def test_an_edited_contact_survives_a_refused_field(self, client, follow_up):
        """A refusal elsewhere on the form shows the contacts again; the next save keeps the edit."""
        client.force_login(follow_up.mentorship.mentor)
        first = {
            "progress": "P",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "Alice",
            "save": "1",
        }
        assert client.post(url(follow_up), first).status_code == 302
        [alice] = Evaluation.objects.get(interview=follow_up).contacts.all()
        edited = {
            "progress": "P",
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "1",
            "contacts-0-id": str(alice.pk),
            "contacts-0-name": "Alice B",
            "save": "1",
        }
        refused = client.post(url(follow_up), {**edited, "next_meeting_at": "0001-01-01T00:00"})
        assert refused.status_code == 200  # the absurd date is refused, the rest is saved
        again = client.post(url(follow_up), edited)
        assert again.status_code == 302
        assert [c.name for c in Evaluation.objects.get(interview=follow_up).contacts.all()] == ["Alice B"]

    def test_the_final_form_closes_the_mentorship_and_tells_both(self, client, follow_up, on_commit):
        mentorship = follow_up.mentorship
        client.force_login(mentorship.mentor)
        client.get(url(follow_up))
        client.post(url(follow_up), {"switch_final": "1", "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
        assert Evaluation.objects.get(interview=follow_up).kind == Evaluation.Kind.FINAL
        with on_commit():
            response = client.post(
                url(follow_up),
                {
                    "outcome": "job_found",
                    "outcome_role": "Data analyst",
                    "overall_assessment": "Great progress.",
                    "programme_view": "Useful.",
                    "contacts-TOTAL_FORMS": "0",
                    "contacts-INITIAL_FORMS": "0",
                    "complete": "1",
                },
            )
        assert response.status_code == 302
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.CLOSED
        assert mentorship.closed_at is not None
        closed = [m for m in mail.outbox if "complete" in m.subject]
        assert sorted(m.to[0] for m in closed) == sorted([mentorship.student.email, mentorship.mentor.email])
        client.force_login(mentorship.student)
        content = client.get(url(follow_up)).content.decode()
        assert "Found a job" in content
        assert "Great progress." not in content and "Useful." not in content

    def test_the_first_interview_has_no_final_form(self, interview):
        evaluation = evaluation_services.evaluation_open(interview=interview, mentor=interview.mentorship.mentor)
        with pytest.raises(RuleError, match="final form follows a follow-up"):
            evaluation_services.switch_to_final(evaluation=evaluation, mentor=interview.mentorship.mentor)


class TestCoaching:
    def test_recommended_from_the_form_then_requested_in_one_click_then_scheduled_by_staff(
        self, client, interview, staff_user, on_commit
    ):
        with on_commit():
            complete_first(client, interview, **{"coaching-reason": "Job-interview training would help."})
        referral = CoachingReferral.objects.get()
        assert referral.status == CoachingReferral.Status.RECOMMENDED
        student = interview.mentorship.student
        assert any("coaching" in m.subject and m.to == [student.email] for m in mail.outbox)

        client.force_login(student)
        page = client.get(interview.mentorship.get_absolute_url()).content.decode()
        assert "free coaching sessions" in page
        client.post(reverse("evaluations:request_coaching", args=[referral.pk]))
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.REQUESTED

        client.force_login(staff_user)
        queue = client.get("/admin/evaluations/coachingreferral/?status__exact=requested").content.decode()
        assert student.get_full_name() in queue
        mail.outbox.clear()
        change = f"/admin/evaluations/coachingreferral/{referral.pk}/change/"
        assert (
            "Give the session"
            in client.post(
                change, {"status": "scheduled", "scheduled_for_0": "", "scheduled_for_1": "", "staff_note": ""}
            ).content.decode()
        )
        session_day = timezone.localdate() + timedelta(days=30)
        with on_commit():
            response = client.post(
                change,
                {
                    "status": "scheduled",
                    "scheduled_for_0": session_day.isoformat(),
                    "scheduled_for_1": "10:00:00",
                    "staff_note": "Room B12",
                },
            )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.SCHEDULED
        [notice] = mail.outbox
        assert notice.to == [student.email]
        assert "Room B12" in notice.body

    def test_recommended_from_the_mentorship_page_with_a_reason(self, client, interview):
        mentorship = interview.mentorship
        recommend = reverse("evaluations:recommend_coaching", args=[mentorship.pk])
        client.force_login(mentorship.mentor)
        client.post(recommend, {"coaching-reason": ""})
        assert not CoachingReferral.objects.exists()
        client.post(recommend, {"coaching-reason": "Needs confidence."})
        client.post(recommend, {"coaching-reason": "Twice?"})
        assert CoachingReferral.objects.count() == 1

    def test_only_the_student_requests_and_strangers_get_404(self, client, interview):
        referral = coaching_services.coaching_recommend(
            mentorship=interview.mentorship, mentor=interview.mentorship.mentor, reason="x"
        )
        client.force_login(interview.mentorship.mentor)
        client.post(reverse("evaluations:request_coaching", args=[referral.pk]))
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.RECOMMENDED
        client.force_login(MentorshipFactory.accepted().student)
        assert client.post(reverse("evaluations:request_coaching", args=[referral.pk])).status_code == 404
        assert (
            client.post(
                reverse("evaluations:recommend_coaching", args=[interview.mentorship.pk]), {"coaching-reason": "x"}
            ).status_code
            == 404
        )


def test_no_second_recommendation_is_offered_while_one_is_open(client, interview):
    mentorship = interview.mentorship
    client.force_login(mentorship.mentor)
    page = client.get(mentorship.get_absolute_url()).content.decode()
    assert "Recommend a coaching session" in page
    assert "recommend a free session with a career coach" in page  # the mentor's wording
    coaching_services.coaching_recommend(mentorship=mentorship, mentor=mentorship.mentor, reason="x")
    page = client.get(mentorship.get_absolute_url()).content.decode()
    assert "Recommend a coaching session" not in page
    assert "recommended on" in page


def test_contacts_with_a_broken_count_are_refused_not_silently_dropped(client, interview):
    follow_up_start = (timezone.now() - timedelta(minutes=30)).replace(second=0, microsecond=0)
    with time_machine.travel(follow_up_start - timedelta(days=1)):
        follow_up = InterviewFactory.confirmed_follow_up(interview.mentorship, start=follow_up_start)
    client.force_login(interview.mentorship.mentor)
    response = client.post(
        url(follow_up),
        {
            "progress": "P",
            "contacts-TOTAL_FORMS": "abc",
            "contacts-0-name": "Alice",
            "contacts-0-why": "w",
            "save": "1",
        },
    )
    assert response.status_code == 200
    assert "Some fields need attention" in response.content.decode()
    assert Evaluation.objects.get(interview=follow_up).progress == "P"  # the rest is saved


def test_the_interview_page_offers_the_form_from_the_start_only(client):
    interview = InterviewFactory.confirmed()
    client.force_login(interview.mentorship.mentor)
    before = client.get(interview.get_absolute_url()).content.decode()
    assert "The form opens when the interview starts" in before
    assert url(interview) not in before
    with time_machine.travel(interview.start):
        during = client.get(interview.get_absolute_url()).content.decode()
    assert url(interview) in during and "Fill in the evaluation form" in during
