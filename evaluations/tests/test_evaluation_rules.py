"""Rules of the evaluation form found in review: what a GET writes, which dates a form accepts,
which interviews can be evaluated, what the mentorship page shares, and the admin's limits."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from core.errors import RuleError
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview, RecommendedContact
from evaluations.services import coaching as coaching_services
from evaluations.services import evaluations as evaluation_services
from evaluations.tests.test_evaluations import FIRST_FORM, complete_first, url
from mentoring.models import Mentorship
from roadbook.factories import RoadbookFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    """A confirmed first interview that started an hour ago."""
    return InterviewFactory.started()


@pytest.fixture
def follow_up(interview):
    return InterviewFactory.started_follow_up(interview.mentorship)


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


FOLLOW_UP_FORM = {
    "situation": "searching",
    "progress": "Two interviews booked.",
    "next_steps": "Prepare the case study.",
    "next_meeting_to_be_agreed": "on",
    "contacts-TOTAL_FORMS": "1",
    "contacts-INITIAL_FORMS": "0",
    "contacts-0-name": "Jeanne Martin",
    "contacts-0-organisation": "Enedis",
    "contacts-0-why": "Runs the data team.",
}


class TestOpeningWritesNothing:
    def test_the_mentor_reading_the_empty_form_creates_no_row(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        for _ in range(2):
            assert client.get(url(interview)).status_code == 200
        assert not Evaluation.objects.exists()
        client.post(url(interview), {"feedback_project": "First notes", "save": "1"})
        assert Evaluation.objects.get().feedback_project == "First notes"


class TestNextMeetingBounds:
    @pytest.mark.parametrize("typed", ["0001-01-01T00:00", "9999-12-31T23:59"])
    def test_an_absurd_date_is_a_form_error_not_a_crash(self, client, interview, typed):
        response = complete_first(client, interview, next_meeting_to_be_agreed="", next_meeting_at=typed)
        assert response.status_code == 200
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT
        assert not Interview.objects.filter(kind=Interview.Kind.FOLLOW_UP).exists()

    def test_a_draft_with_an_absurd_date_saves_the_rest(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        response = client.post(
            url(interview), {"feedback_project": "Kept", "next_meeting_at": "0001-01-01T00:00", "save": "1"}
        )
        assert response.status_code == 200
        evaluation = Evaluation.objects.get()
        assert evaluation.feedback_project == "Kept" and evaluation.next_meeting_at is None

    def test_past_and_after_the_campaign_are_refused_with_the_reason(self, client, interview):
        campaign = interview.mentorship.campaign
        past = complete_first(
            client, interview, next_meeting_to_be_agreed="", next_meeting_at=local(timezone.now() - timedelta(days=1))
        )
        assert "The next meeting must be in the future." in past.content.decode()
        late = complete_first(
            client,
            interview,
            next_meeting_to_be_agreed="",
            next_meeting_at=local(campaign.campaign_ends + timedelta(days=1)),
        )
        assert "The next meeting must be before the campaign ends" in late.content.decode()
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT
        assert not Interview.objects.filter(kind=Interview.Kind.FOLLOW_UP).exists()

    def test_the_service_refuses_a_stored_date_beyond_the_campaign(self, interview):
        mentor = interview.mentorship.mentor
        evaluation = evaluation_services.evaluation_create(interview=interview, mentor=mentor)
        fields = {k: v for k, v in FIRST_FORM.items() if k not in ("next_meeting_at", "next_meeting_to_be_agreed")}
        Evaluation.objects.filter(pk=evaluation.pk).update(
            **fields, next_meeting_at=interview.mentorship.campaign.campaign_ends + timedelta(days=3000)
        )
        assert "next_meeting_at" in evaluation_services.missing_fields(Evaluation.objects.get())
        with pytest.raises(RuleError, match="before the campaign ends"):
            evaluation_services.evaluation_complete(evaluation=evaluation, mentor=mentor)
        assert not Interview.objects.filter(kind=Interview.Kind.FOLLOW_UP).exists()
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT

    def test_an_old_job_start_date_does_not_crash_the_pages(self, client, follow_up):
        client.force_login(follow_up.mentorship.mentor)
        data = {**FOLLOW_UP_FORM, "situation": "in_job", "job_start_date": "0001-01-01", "complete": "1"}
        assert client.post(url(follow_up), data).status_code == 302
        for who in (follow_up.mentorship.mentor, follow_up.mentorship.student):
            client.force_login(who)
            assert client.get(url(follow_up)).status_code == 200
            assert client.get(url(follow_up, "evaluation_pdf")).status_code == 200
            assert client.get(follow_up.mentorship.get_absolute_url()).status_code == 200


class TestOnlyConfirmedOrHeldInterviews:
    def test_an_interview_cancelled_after_it_started_cannot_be_evaluated(self, client, interview):
        mentor = interview.mentorship.mentor
        client.force_login(mentor)
        client.post(url(interview), {**FIRST_FORM, "save": "1"})  # notes taken during the interview
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
        response = client.post(url(interview), {**FIRST_FORM, "complete": "1"})
        assert response.status_code == 302
        assert client.get(url(interview)).status_code == 302
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CANCELLED
        assert Evaluation.objects.get().status == Evaluation.Status.DRAFT
        assert not Interview.objects.filter(kind=Interview.Kind.FOLLOW_UP).exists()

    def test_the_service_refuses_to_complete_for_a_cancelled_interview(self, interview):
        mentor = interview.mentorship.mentor
        evaluation = evaluation_services.evaluation_create(interview=interview, mentor=mentor)
        Evaluation.objects.filter(pk=evaluation.pk).update(
            **{k: v for k, v in FIRST_FORM.items() if not k.startswith("next_meeting")},
            next_meeting_at=timezone.now() + timedelta(days=20),
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(next_meeting_to_be_agreed=False)
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.CANCELLED)
        with pytest.raises(RuleError, match="confirmed or held"):
            evaluation_services.evaluation_complete(evaluation=evaluation, mentor=mentor)
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CANCELLED
        assert Interview.objects.count() == 1

    def test_a_completed_form_stays_readable(self, client, interview):
        complete_first(client, interview)
        Interview.objects.filter(pk=interview.pk).update(status=Interview.Status.NO_SHOW)
        assert "Your project is clear" in client.get(url(interview)).content.decode()


class TestSwitchingToTheFinalForm:
    def test_the_contacts_and_the_coaching_reason_typed_are_kept(self, client, follow_up, on_commit):
        client.force_login(follow_up.mentorship.mentor)
        data = {**FOLLOW_UP_FORM, "coaching-reason": "Mock interviews would help.", "switch_final": "1"}
        with on_commit():
            assert client.post(url(follow_up), data).status_code == 302
        evaluation = Evaluation.objects.get(interview=follow_up)
        assert evaluation.kind == Evaluation.Kind.FINAL
        assert [c.name for c in RecommendedContact.objects.filter(evaluation=evaluation)] == ["Jeanne Martin"]
        referral = CoachingReferral.objects.get()
        assert referral.reason == "Mock interviews would help." and referral.evaluation == evaluation
        assert any("coaching" in m.subject for m in mail.outbox)


class TestCoachingReason:
    def test_a_reason_too_long_is_an_error_with_the_text_kept(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        reason = "Needs interview practice. " + "x" * 3000
        response = client.post(url(interview), {**FIRST_FORM, "coaching-reason": reason, "save": "1"})
        assert response.status_code == 200
        content = response.content.decode()
        assert "Draft saved" not in content
        assert "at most 3000 characters" in content
        assert reason in content
        assert not CoachingReferral.objects.exists()
        assert Evaluation.objects.get().feedback_project == FIRST_FORM["feedback_project"]

    def test_not_in_a_closed_mentorship(self, interview):
        Mentorship.objects.filter(pk=interview.mentorship.pk).update(status=Mentorship.Status.CLOSED)
        interview.mentorship.refresh_from_db()
        with pytest.raises(RuleError, match="accepted mentorship"):
            coaching_services.coaching_recommend(
                mentorship=interview.mentorship, mentor=interview.mentorship.mentor, reason="Too late?"
            )
        assert not CoachingReferral.objects.exists()


class TestMentorshipPage:
    @pytest.mark.parametrize("who", ["student", "mentor"])
    def test_it_shows_the_shared_part_of_each_completed_form_never_the_private(self, client, interview, who):
        complete_first(client, interview)
        mentorship = interview.mentorship
        client.force_login(mentorship.student if who == "student" else mentorship.mentor)
        content = client.get(mentorship.get_absolute_url()).content.decode()
        assert "Your project is clear and well argued." in content
        assert "Rewrite the CV; contact three alumni." in content
        assert "SECRET" not in content
        assert "Is the project realistic?" not in content

    def test_a_draft_is_not_shown(self, client, interview):
        client.force_login(interview.mentorship.mentor)
        client.post(url(interview), {**FIRST_FORM, "save": "1"})
        client.force_login(interview.mentorship.student)
        content = client.get(interview.mentorship.get_absolute_url()).content.decode()
        assert "Your project is clear and well argued." not in content

    def test_contacts_of_a_follow_up_are_shown(self, client, follow_up):
        client.force_login(follow_up.mentorship.mentor)
        client.post(url(follow_up), {**FOLLOW_UP_FORM, "complete": "1"})
        client.force_login(follow_up.mentorship.student)
        content = client.get(follow_up.mentorship.get_absolute_url()).content.decode()
        assert "Jeanne Martin" in content and "Two interviews booked." in content


def pdf_text(response):
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)


class TestPdfSplit:
    def test_the_students_follow_up_pdf_holds_only_the_shared_part(self, client, follow_up):
        client.force_login(follow_up.mentorship.mentor)
        data = {**FOLLOW_UP_FORM, "private_notes": "SECRET-NOTE: hesitant.", "complete": "1"}
        client.post(url(follow_up), data)
        client.force_login(follow_up.mentorship.student)
        text = pdf_text(client.get(url(follow_up, "evaluation_pdf")))
        assert "interviews booked." in text and "Jeanne Martin" in text  # pypdf may split "T wo"
        assert "SECRET" not in text
        client.force_login(follow_up.mentorship.mentor)
        assert "SECRET-NOTE" in pdf_text(client.get(url(follow_up, "evaluation_pdf")))

    def test_the_students_final_pdf_holds_only_the_shared_part(self, client, follow_up):
        client.force_login(follow_up.mentorship.mentor)
        client.post(url(follow_up), {**FOLLOW_UP_FORM, "switch_final": "1"})
        final = {
            "outcome": "job_found",
            "outcome_role": "Data analyst",
            "what_helped": "The mock interviews.",
            "overall_assessment": "SECRET-ASSESSMENT: great progress.",
            "programme_view": "SECRET-VIEW: useful.",
            "private_notes": "SECRET-NOTE: hesitant.",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
            "complete": "1",
        }
        assert client.post(url(follow_up), final).status_code == 302
        client.force_login(follow_up.mentorship.student)
        text = pdf_text(client.get(url(follow_up, "evaluation_pdf")))
        assert "Data analyst" in text and "The mock interviews." in text
        assert "SECRET" not in text
        client.force_login(follow_up.mentorship.mentor)
        text = pdf_text(client.get(url(follow_up, "evaluation_pdf")))
        assert "SECRET-ASSESSMENT" in text and "SECRET-VIEW" in text


class TestSharedMail:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_evaluation_shared_mail_never_holds_private_text(self, client, interview, on_commit, language):
        student = interview.mentorship.student
        student.language = language
        student.save(update_fields=["language"])
        with on_commit():
            complete_first(client, interview)
        [notice] = [m for m in mail.outbox if m.to == [student.email]]
        for part in (notice.subject, notice.body, notice.alternatives[0][0]):
            assert "SECRET" not in part
            assert "salary target" not in part and "seemed stressed" not in part


class TestAdmin:
    @pytest.mark.parametrize(
        "path",
        ["/admin/evaluations/interview/add/", "/admin/evaluations/evaluation/add/", "/admin/roadbook/roadbook/add/"],
    )
    def test_rows_made_by_the_product_flows_cannot_be_added_here(self, client, staff_user, path):
        client.force_login(staff_user)
        assert client.get(path).status_code == 403
        assert client.post(path, {}).status_code == 403

    def test_the_road_book_list_has_no_add_button(self, client, staff_user):
        RoadbookFactory()
        client.force_login(staff_user)
        content = client.get("/admin/roadbook/roadbook/").content.decode()
        assert "/admin/roadbook/roadbook/add/" not in content


class TestCoachingAdmin:
    @pytest.fixture
    def referral(self, interview):
        return coaching_services.coaching_recommend(
            mentorship=interview.mentorship, mentor=interview.mentorship.mentor, reason="Needs practice."
        )

    def change(self, client, staff_user, referral, status, when=None, note=""):
        client.force_login(staff_user)
        local_when = timezone.localtime(when) if when else None
        return client.post(
            f"/admin/evaluations/coachingreferral/{referral.pk}/change/",
            {
                "status": status,
                "scheduled_for_0": local_when.strftime("%Y-%m-%d") if when else "",
                "scheduled_for_1": local_when.strftime("%H:%M:%S") if when else "",
                "staff_note": note,
            },
        )

    def set_status(self, referral, status, **fields):
        CoachingReferral.objects.filter(pk=referral.pk).update(status=status, **fields)

    @pytest.mark.parametrize("typed", [("0001-01-01", "00:00:00"), ("9999-12-31", "23:59:00")])
    def test_an_absurd_date_is_a_form_error(self, client, staff_user, referral, typed):
        self.set_status(referral, CoachingReferral.Status.REQUESTED)
        client.force_login(staff_user)
        response = client.post(
            f"/admin/evaluations/coachingreferral/{referral.pk}/change/",
            {"status": "scheduled", "scheduled_for_0": typed[0], "scheduled_for_1": typed[1], "staff_note": ""},
        )
        assert response.status_code == 200
        assert "Give a date in the future, within three years." in response.content.decode()
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.REQUESTED

    def test_a_session_is_not_scheduled_in_the_past(self, client, staff_user, referral):
        self.set_status(referral, CoachingReferral.Status.REQUESTED)
        response = self.change(client, staff_user, referral, "scheduled", timezone.now() - timedelta(days=1))
        assert response.status_code == 200
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.REQUESTED

    def test_the_one_path_of_a_referral(self, client, staff_user, referral):
        assert self.change(client, staff_user, referral, "done").status_code == 200  # no jump
        assert (
            self.change(client, staff_user, referral, "scheduled", timezone.now() + timedelta(days=3)).status_code
            == 200
        )
        assert self.change(client, staff_user, referral, "requested").status_code == 302
        soon = timezone.now() + timedelta(days=7)
        assert self.change(client, staff_user, referral, "scheduled", soon).status_code == 302
        later = timezone.now() + timedelta(days=14)
        assert self.change(client, staff_user, referral, "scheduled", later).status_code == 302  # a new date
        assert self.change(client, staff_user, referral, "done", later).status_code == 302
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.DONE
        for status in ("recommended", "requested", "scheduled", "declined"):
            assert self.change(client, staff_user, referral, status, later).status_code == 200, status
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.DONE

    def test_a_declined_referral_is_not_reopened_beside_an_open_one(self, client, staff_user, referral, interview):
        self.set_status(referral, CoachingReferral.Status.DECLINED)
        coaching_services.coaching_recommend(
            mentorship=interview.mentorship, mentor=interview.mentorship.mentor, reason="Second try."
        )
        for status in ("recommended", "requested"):
            response = self.change(client, staff_user, referral, status)
            assert response.status_code == 200
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.DECLINED
        assert CoachingReferral.objects.exclude(status="declined").count() == 1


class TestAdminRefusals:
    def test_a_refusal_of_the_service_is_not_reported_as_a_change(self, client, staff_user, interview, monkeypatch):
        from django.contrib.admin.models import LogEntry

        from evaluations.admin import CoachingReferralForm

        referral = coaching_services.coaching_recommend(
            mentorship=interview.mentorship, mentor=interview.mentorship.mentor, reason="Needs practice."
        )
        # As if another member of staff had moved it between the form's check and the save.
        monkeypatch.setattr(CoachingReferralForm, "clean", lambda form: form.cleaned_data)
        client.force_login(staff_user)
        path = f"/admin/evaluations/coachingreferral/{referral.pk}/change/"
        response = client.post(path, {"status": "done", "staff_note": ""}, follow=True)
        content = response.content.decode()
        assert "cannot become" in content
        assert "was changed successfully" not in content
        assert not LogEntry.objects.exists()
        referral.refresh_from_db()
        assert referral.status == CoachingReferral.Status.RECOMMENDED

    def test_an_interview_is_cancelled_never_deleted(self, client, staff_user, interview):
        client.force_login(staff_user)
        assert client.get(f"/admin/evaluations/interview/{interview.pk}/delete/").status_code == 403
        assert client.post(f"/admin/evaluations/interview/{interview.pk}/delete/", {"post": "yes"}).status_code == 403
        assert Interview.objects.filter(pk=interview.pk).exists()
