from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory, UserFactory
from core.errors import RuleError
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship, Message

pytestmark = pytest.mark.django_db


def choose_url(enrollment):
    return reverse("mentoring:choose_mentor", args=[enrollment.pk])


class TestChoosing:
    def test_student_chooses_a_mentor_and_the_mentor_is_told(self, client, campaign, on_commit):
        enrollment = EnrollmentFactory()
        student = StudentFactory(first_name="Léa")
        client.force_login(student)
        with on_commit():
            response = client.post(choose_url(enrollment), {"message": "Your path in energy inspires me."})
        mentorship = Mentorship.objects.get()
        assert response.status_code == 302
        assert response["Location"] == mentorship.get_absolute_url()
        assert (mentorship.student, mentorship.enrollment, mentorship.status) == (student, enrollment, "requested")
        assert mentorship.message == "Your path in energy inspires me."
        [notice] = mail.outbox
        assert notice.to == [enrollment.alumnus.email]
        assert "Léa" in notice.subject
        assert "Your path in energy inspires me." in notice.body
        assert f"http://127.0.0.1:8000/mentorships/{mentorship.pk}/" in notice.body

    def test_a_message_is_required(self, client, campaign):
        enrollment = EnrollmentFactory()
        client.force_login(StudentFactory())
        response = client.post(choose_url(enrollment), {"message": "   "})
        assert response.status_code == 200
        assert not Mentorship.objects.exists()

    def test_one_live_mentorship_per_campaign_and_the_typed_message_is_kept(self, client, campaign):
        first = MentorshipFactory()
        other = EnrollmentFactory()
        client.force_login(first.student)
        response = client.post(choose_url(other), {"message": "Please, I typed this carefully."})
        content = response.content.decode()
        assert response.status_code == 200
        assert "You already have a mentor or a pending request" in content
        assert "Please, I typed this carefully." in content
        assert Mentorship.objects.count() == 1

    def test_withdrawing_tells_the_mentor_and_lets_the_student_choose_again(self, client, campaign, on_commit):
        first = MentorshipFactory()
        client.force_login(first.student)
        with on_commit():
            response = client.post(reverse("mentoring:mentorship_withdraw", args=[first.pk]))
        assert [m.to for m in mail.outbox] == [[first.mentor.email]]
        assert "withdrew" in mail.outbox[0].subject
        assert response["Location"] == reverse("mentoring:directory")
        first.refresh_from_db()
        assert first.status == Mentorship.Status.WITHDRAWN
        client.post(choose_url(EnrollmentFactory()), {"message": "Second choice"})
        assert Mentorship.objects.live().get().message == "Second choice"

    def test_a_full_mentor_cannot_be_chosen(self, client, campaign):
        enrollment = EnrollmentFactory(capacity=1)
        MentorshipFactory.accepted(enrollment=enrollment)
        client.force_login(StudentFactory())
        response = client.post(choose_url(enrollment), {"message": "Hello"})
        assert "no free place left" in response.content.decode()
        assert Mentorship.objects.count() == 1

    def test_alumni_cannot_choose(self, client, campaign):
        client.force_login(AlumnusFactory())
        assert client.post(choose_url(EnrollmentFactory()), {"message": "x"}).status_code == 404

    def test_matching_opens_to_the_second(self):
        campaign = CampaignFactory.in_recruitment()
        enrollment = EnrollmentFactory(campaign=campaign)
        student = StudentFactory()
        with pytest.raises(RuleError, match="choose a mentor from"):
            services.mentorship_request(
                student=student, enrollment=enrollment, message="hi", now=campaign.matching_opens - timedelta(seconds=1)
            )
        assert services.mentorship_request(
            student=student, enrollment=enrollment, message="hi", now=campaign.matching_opens
        )

    def test_choose_is_post_only(self, client, campaign):
        client.force_login(StudentFactory())
        assert client.get(choose_url(EnrollmentFactory())).status_code == 405


class TestAnswering:
    def test_mentor_accepts_and_the_student_is_told(self, client, on_commit):
        mentorship = MentorshipFactory()
        client.force_login(mentorship.mentor)
        with on_commit():
            response = client.post(reverse("mentoring:mentorship_accept", args=[mentorship.pk]))
        assert response.status_code == 302
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.ACCEPTED
        assert [m.to for m in mail.outbox] == [[mentorship.student.email]]
        assert mentorship.mentor.email in mail.outbox[0].body
        page = client.get(mentorship.get_absolute_url()).content.decode()
        assert f"mailto:{mentorship.student.email}" in page

    def test_accepting_beyond_capacity_is_refused(self, client):
        enrollment = EnrollmentFactory(capacity=1)
        MentorshipFactory.accepted(enrollment=enrollment)
        waiting = MentorshipFactory(enrollment=enrollment)
        client.force_login(enrollment.alumnus)
        response = client.post(reverse("mentoring:mentorship_accept", args=[waiting.pk]), follow=True)
        assert "your maximum for this campaign" in response.content.decode()
        waiting.refresh_from_db()
        assert waiting.status == Mentorship.Status.REQUESTED

    def test_declining_needs_a_reason_that_the_student_sees(self, client, on_commit):
        mentorship = MentorshipFactory()
        url = reverse("mentoring:mentorship_decline", args=[mentorship.pk])
        client.force_login(mentorship.mentor)
        response = client.post(url, {"reason": ""})
        assert response.status_code == 200
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED

        with on_commit():
            client.post(url, {"reason": "I am abroad until June."})
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.DECLINED
        assert "I am abroad until June." in mail.outbox[0].body
        client.force_login(mentorship.student)
        assert "I am abroad until June." in client.get(mentorship.get_absolute_url()).content.decode()

    def test_only_the_chosen_mentor_answers(self, client):
        mentorship = MentorshipFactory()
        client.force_login(mentorship.student)
        response = client.post(reverse("mentoring:mentorship_accept", args=[mentorship.pk]), follow=True)
        assert "Only the chosen mentor" in response.content.decode()
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED

    def test_answering_twice_changes_nothing(self):
        mentorship = MentorshipFactory()
        services.mentorship_accept(mentorship=mentorship, mentor=mentorship.mentor)
        with pytest.raises(RuleError, match="already been answered"):
            services.mentorship_decline(mentorship=mentorship, mentor=mentorship.mentor, reason="no")

    def test_pending_requests_show_in_the_mentors_area(self, client):
        mentorship = MentorshipFactory(message="Looking for advice on consulting.")
        client.force_login(mentorship.mentor)
        content = client.get(reverse("mentoring:me")).content.decode()
        assert "Looking for advice on consulting." in content
        assert mentorship.student.get_full_name() in content
        assert reverse("mentoring:mentorship_accept", args=[mentorship.pk]) in content


class TestExpiry:
    def test_unanswered_requests_expire_once_and_the_student_may_choose_again(self, on_commit):
        mentorship = MentorshipFactory()
        expires = mentorship.requested_at + timedelta(days=7)
        with time_machine.travel(expires - timedelta(seconds=1), tick=False), on_commit():
            assert services.expire_overdue_requests() == 0
        with time_machine.travel(expires, tick=False), on_commit():
            assert services.expire_overdue_requests() == 1
            assert services.expire_overdue_requests() == 0
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.EXPIRED
        assert [m.to for m in mail.outbox] == [[mentorship.student.email]]
        assert "expired" in mail.outbox[0].subject

    def test_an_overdue_request_cannot_be_accepted(self):
        mentorship = MentorshipFactory()
        with (
            time_machine.travel(mentorship.requested_at + timedelta(days=8)),
            pytest.raises(RuleError, match="expired"),
        ):
            services.mentorship_accept(mentorship=mentorship, mentor=mentorship.mentor)

    def test_choosing_again_expires_the_overdue_request_first(self, campaign):
        mentorship = MentorshipFactory()
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            again = services.mentorship_request(
                student=mentorship.student, enrollment=EnrollmentFactory(), message="Another try"
            )
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.EXPIRED
        assert again.status == Mentorship.Status.REQUESTED


class TestMentorshipPage:
    def test_the_pair_and_staff_open_it(self, client, staff_user):
        mentorship = MentorshipFactory()
        for user in (mentorship.student, mentorship.mentor, staff_user):
            client.force_login(user)
            assert client.get(mentorship.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("stranger", ["student", "mentor"])
    def test_anyone_else_gets_404_on_every_url(self, client, stranger):
        mentorship = MentorshipFactory()
        other = MentorshipFactory(enrollment=EnrollmentFactory(campaign=mentorship.campaign))
        client.force_login(other.student if stranger == "student" else other.mentor)
        pk = mentorship.pk
        assert client.get(mentorship.get_absolute_url()).status_code == 404
        for name in ["mentorship_accept", "mentorship_decline", "mentorship_withdraw", "mentorship_message"]:
            assert client.post(reverse(f"mentoring:{name}", args=[pk]), {"reason": "x", "body": "x"}).status_code == 404
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED
        assert not Message.objects.exists()

    def test_anonymous_visitor_is_sent_to_login(self, client):
        mentorship = MentorshipFactory()
        assert client.get(mentorship.get_absolute_url())["Location"].startswith(reverse("account_login"))

    def test_contact_details_only_once_accepted(self, client):
        mentorship = MentorshipFactory()
        client.force_login(mentorship.student)
        assert f"mailto:{mentorship.mentor.email}" not in client.get(mentorship.get_absolute_url()).content.decode()


class TestMessages:
    def test_a_message_reaches_the_other_side_by_mail_with_a_link(self, client, on_commit):
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.student)
        with on_commit():
            response = client.post(
                reverse("mentoring:mentorship_message", args=[mentorship.pk]), {"body": "Would Tuesday suit you?"}
            )
        assert response.status_code == 302
        assert Message.objects.get().body == "Would Tuesday suit you?"
        [notice] = mail.outbox
        assert notice.to == [mentorship.mentor.email]
        assert "Would Tuesday suit you?" in notice.body
        assert mentorship.get_absolute_url() in notice.body
        page = client.get(mentorship.get_absolute_url()).content.decode()
        assert "Would Tuesday suit you?" in page

    def test_an_empty_message_is_refused(self, client):
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.mentor)
        response = client.post(reverse("mentoring:mentorship_message", args=[mentorship.pk]), {"body": ""})
        assert response.status_code == 200
        assert not Message.objects.exists()

    def test_a_closed_thread_takes_no_message(self):
        mentorship = MentorshipFactory(status=Mentorship.Status.DECLINED)
        with pytest.raises(RuleError, match="no longer open to messages"):
            services.message_post(mentorship=mentorship, author=mentorship.student, body="hello?")
        assert not Message.objects.exists()


class TestStaleMentors:
    """A view loads the enrolment, then calls the service: the mentor may have changed meanwhile."""

    def test_a_mentor_who_withdrew_meanwhile_receives_no_request(self, campaign):
        enrollment = EnrollmentFactory()
        MentorEnrollment.objects.filter(pk=enrollment.pk).update(status=MentorEnrollment.Status.WITHDRAWN)
        with pytest.raises(RuleError, match="This mentor is not available"):
            services.mentorship_request(student=StudentFactory(), enrollment=enrollment, message="Hello")
        assert not Mentorship.objects.exists()
        assert mail.outbox == []

    def test_a_mentor_who_withdrew_cannot_accept(self):
        mentorship = MentorshipFactory()
        MentorEnrollment.objects.filter(pk=mentorship.enrollment_id).update(status=MentorEnrollment.Status.WITHDRAWN)
        with pytest.raises(RuleError, match="no longer a mentor of this campaign"):
            services.mentorship_accept(mentorship=mentorship, mentor=mentorship.mentor)
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED

    def test_nothing_is_accepted_once_the_campaign_has_ended(self):
        campaign = CampaignFactory.in_matching(request_expiry_days=30)
        mentorship = MentorshipFactory(
            enrollment=EnrollmentFactory(campaign=campaign), requested_at=campaign.campaign_ends - timedelta(days=1)
        )
        with pytest.raises(RuleError, match="matching phase of this campaign is closed"):
            services.mentorship_accept(mentorship=mentorship, mentor=mentorship.mentor, now=campaign.campaign_ends)
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED
        accepted = services.mentorship_accept(
            mentorship=mentorship, mentor=mentorship.mentor, now=campaign.campaign_ends - timedelta(seconds=1)
        )
        assert accepted.status == Mentorship.Status.ACCEPTED


class TestLastPlace:
    def test_taking_the_last_place_declines_the_other_requests_and_tells_their_students(self, on_commit):
        enrollment = EnrollmentFactory(capacity=2)
        MentorshipFactory.accepted(enrollment=enrollment)
        chosen, other, third = MentorshipFactory.create_batch(3, enrollment=enrollment)
        elsewhere = MentorshipFactory(enrollment=EnrollmentFactory(campaign=enrollment.campaign))
        with on_commit():
            services.mentorship_accept(mentorship=chosen, mentor=enrollment.alumnus)
        for mentorship in (chosen, other, third, elsewhere):
            mentorship.refresh_from_db()
        assert chosen.status == Mentorship.Status.ACCEPTED
        assert (other.status, third.status) == (Mentorship.Status.DECLINED, Mentorship.Status.DECLINED)
        assert other.decline_reason == "This mentor's places are all taken."
        assert elsewhere.status == Mentorship.Status.REQUESTED
        declined = sorted(m.to[0] for m in mail.outbox if "This mentor's places are all taken." in m.body)
        assert declined == sorted([other.student.email, third.student.email])
        assert len(mail.outbox) == 3  # and the accepted student's mail

    def test_a_place_left_keeps_the_other_requests(self):
        enrollment = EnrollmentFactory(capacity=2)
        chosen, other = MentorshipFactory.create_batch(2, enrollment=enrollment)
        services.mentorship_accept(mentorship=chosen, mentor=enrollment.alumnus)
        other.refresh_from_db()
        assert other.status == Mentorship.Status.REQUESTED


class TestMailLanguage:
    def test_the_button_label_is_in_the_recipients_language_not_the_actors(self, campaign, on_commit):
        # No catalogue ships yet, so a stand-in translation marks each string with its language.
        def marked(message):
            return f"[{translation.get_language()}] {message}"

        enrollment = EnrollmentFactory(alumnus__language="en")
        student = StudentFactory(language="fr")
        with mock.patch.object(translation._trans, "gettext", marked, create=True):
            with translation.override("fr"), on_commit():
                mentorship = services.mentorship_request(student=student, enrollment=enrollment, message="Bonjour")
            with translation.override("en"), on_commit():
                services.mentorship_accept(mentorship=mentorship, mentor=enrollment.alumnus)
        received, accepted = mail.outbox
        assert "[en] Answer the request: http" in received.body
        assert "[fr] Open the mentorship: http" in accepted.body


class TestMentorshipPageContents:
    def test_staff_read_the_thread_but_do_not_write_in_it(self, client, staff_user):
        mentorship = MentorshipFactory.accepted()
        Message.objects.create(mentorship=mentorship, author=mentorship.student, body="Is Tuesday fine?")
        client.force_login(staff_user)
        response = client.get(mentorship.get_absolute_url())
        content = response.content.decode()
        assert "Is Tuesday fine?" in content
        assert reverse("mentoring:mentorship_message", args=[mentorship.pk]) not in content
        assert response.context["can_post"] is False

    def test_the_pair_can_post_while_the_mentorship_is_open(self, client):
        mentorship = MentorshipFactory.accepted()
        for user in (mentorship.student, mentorship.mentor):
            client.force_login(user)
            content = client.get(mentorship.get_absolute_url()).content.decode()
            assert reverse("mentoring:mentorship_message", args=[mentorship.pk]) in content
        Mentorship.objects.filter(pk=mentorship.pk).update(status=Mentorship.Status.CLOSED)
        assert client.get(mentorship.get_absolute_url()).context["can_post"] is False

    def test_the_mentor_does_not_see_the_students_email_before_accepting(self, client):
        mentorship = MentorshipFactory()
        client.force_login(mentorship.mentor)
        content = client.get(mentorship.get_absolute_url()).content.decode()
        assert mentorship.student.get_full_name() in content
        assert mentorship.student.email not in content

    def test_the_page_shows_the_mentors_full_profile(self, client):
        english, german = LanguageFactory(code="en", name="English"), LanguageFactory(code="de", name="Deutsch")
        mentor = AlumnusFactory(
            alumnus_profile__bio="Twenty years in grid operations.",
            alumnus_profile__linkedin_url="https://www.linkedin.com/in/example-mentor",
        )
        enrollment = EnrollmentFactory(
            alumnus=mentor, sectors=[SectorFactory(name="Energy networks")], languages=[english, german]
        )
        mentorship = MentorshipFactory(enrollment=enrollment)
        client.force_login(mentorship.student)
        content = client.get(mentorship.get_absolute_url()).content.decode()
        assert "Twenty years in grid operations." in content
        assert "Energy networks" in content
        assert "Deutsch" in content and "English" in content
        assert "https://www.linkedin.com/in/example-mentor" in content

    def test_a_mentor_without_a_profile_yet_does_not_break_the_page(self, client):
        enrollment = EnrollmentFactory(alumnus=UserFactory(role="alumnus"))
        mentorship = MentorshipFactory(enrollment=enrollment)
        client.force_login(mentorship.student)
        assert client.get(mentorship.get_absolute_url()).status_code == 200

    def test_anonymous_posts_are_sent_to_login_and_write_nothing(self, client):
        mentorship = MentorshipFactory()
        for name in ["mentorship_accept", "mentorship_decline", "mentorship_withdraw", "mentorship_message"]:
            response = client.post(reverse(f"mentoring:{name}", args=[mentorship.pk]), {"reason": "x", "body": "x"})
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.REQUESTED
        assert not Message.objects.exists()
        assert mail.outbox == []
