"""The Alumni Career Department is told of what needs it, once, at once or in a daily digest.

Four events (mentoring, roadbook, evaluations): a new mentor application, a mentor withdrawn with
mentees, a road-book sent late, a coaching session requested. Each mails every active member of
the "Career Department" group once; without members, the configured address; a member who chose
the digest gets one mail a day from the sweep instead.
"""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.career_department import send_staff_notice
from accounts.factories import AlumnusFactory, StaffFactory, StaffOnlyFactory
from accounts.models import User
from core.models import SentNotice
from core.notices import send_digests
from evaluations.factories import InterviewFactory
from evaluations.services import coaching
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db


def mentor_applied():
    campaign = CampaignFactory.in_recruitment()
    alumnus = AlumnusFactory(first_name="Nadia", last_name="Applicant")
    enrollment = services.enrollment_apply(
        alumnus=alumnus, campaign=campaign, capacity=2, modes=["video"], languages=[], sectors=[]
    )
    return enrollment, reverse("admin:mentoring_mentorenrollment_change", args=[enrollment.pk]), "Nadia Applicant"


def mentor_withdrawn():
    mentorship = MentorshipFactory.accepted(student__first_name="Lina", student__last_name="Mentee")
    enrollment = services.enrollment_withdraw(enrollment=mentorship.enrollment, by_staff=True)
    return enrollment, reverse("admin:mentoring_mentorenrollment_change", args=[enrollment.pk]), "Lina Mentee"


def roadbook_late():
    interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
    roadbook = RoadbookFactory(mentorship=interview.mentorship)
    roadbook.mentorship.student.first_name, roadbook.mentorship.student.last_name = "Hugo", "Late"
    roadbook.mentorship.student.save()
    with time_machine.travel(interview.start - timedelta(days=2)):
        roadbook_submit(roadbook=roadbook, student=roadbook.mentorship.student)
    return roadbook, reverse("admin:roadbook_roadbook_change", args=[roadbook.pk]), "Hugo Late"


def coaching_requested():
    mentorship = MentorshipFactory.accepted(student__first_name="Emma", student__last_name="Coached")
    referral = coaching.coaching_recommend(
        mentorship=mentorship, mentor=mentorship.mentor, reason="Interview practice."
    )
    coaching.coaching_request(referral=referral, student=mentorship.student)
    return referral, reverse("admin:evaluations_coachingreferral_change", args=[referral.pk]), "Emma Coached"


EVENTS = {
    "staff_mentor_applied": mentor_applied,
    "staff_mentor_withdrawn": mentor_withdrawn,
    "staff_roadbook_late": roadbook_late,
    "staff_coaching_requested": coaching_requested,
}
SUBJECTS = {
    "staff_mentor_applied": "New mentor application: Nadia Applicant",
    "staff_mentor_withdrawn": "Mentor withdrawn:",
    "staff_roadbook_late": "Road-book sent late: Hugo Late",
    "staff_coaching_requested": "Coaching requested: Emma Coached",
}


def sent_again(kind, obj):
    """The same notice once more (a retried task, a second click): its key was used, nothing is written."""
    period = SentNotice.objects.filter(kind=kind).values_list("period", flat=True).first()
    return send_staff_notice(kind, obj=obj, period=period)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.mark.parametrize("kind", EVENTS)
def test_each_event_mails_each_member_once_with_a_link_to_its_admin_page(kind, on_commit):
    members = [StaffFactory(), StaffOnlyFactory()]
    outsider = StaffFactory(career_department=False)
    gone = StaffFactory(is_active=False)
    with on_commit():
        obj, path, name = EVENTS[kind]()
        assert sent_again(kind, obj) == 0
    for member in members:
        [message] = to(member.email)
        assert message.subject.startswith(SUBJECTS[kind])
        assert name in message.body
        assert settings.SITE_URL + path in message.body
        assert "You receive this message because you are a member of the Alumni Career Department." in message.body
        html, _mimetype = message.alternatives[0]
        assert f'href="{settings.SITE_URL}{path}"' in html
    assert to(outsider.email) == [] and to(gone.email) == []
    assert SentNotice.objects.filter(kind=kind).count() == 2


@pytest.mark.parametrize("kind", EVENTS)
def test_the_configured_address_when_the_group_has_no_active_member(kind, on_commit, settings):
    settings.CAREER_DEPARTMENT_EMAIL = "career@school.test"
    StaffFactory(career_department=False)
    StaffFactory(is_active=False)
    with on_commit():
        obj, path, _name = EVENTS[kind]()
        assert sent_again(kind, obj) == 0
    [message] = to("career@school.test")
    assert message.body.startswith("Hello,\n")
    assert settings.SITE_URL + path in message.body
    assert "the Career Department group has no active member" in message.body
    notice = SentNotice.objects.get(kind=kind)
    assert (notice.recipient, notice.email) == (None, "career@school.test")


def test_nobody_to_tell_writes_nothing_and_says_so(on_commit, caplog):
    with on_commit(), caplog.at_level(logging.WARNING, logger="accounts.career_department"):
        mentor_applied()
    assert not SentNotice.objects.filter(kind="staff_mentor_applied").exists()
    assert "CAREER_DEPARTMENT_EMAIL is not set" in caplog.text


def test_the_key_holds_for_the_configured_address(settings, on_commit):
    settings.CAREER_DEPARTMENT_EMAIL = "Career@School.test"
    enrollment = EnrollmentFactory()
    with on_commit():
        assert send_staff_notice("staff_mentor_applied", obj=enrollment, context={"enrollment": enrollment}) == 1
        assert send_staff_notice("staff_mentor_applied", obj=enrollment, context={"enrollment": enrollment}) == 0
    assert len(mail.outbox) == 1


class TestWhichEventsCount:
    def test_editing_an_application_is_not_a_new_one_but_applying_again_after_withdrawing_is(self, on_commit):
        member = StaffFactory()
        campaign = CampaignFactory.in_recruitment()
        alumnus = AlumnusFactory()
        kwargs = {"alumnus": alumnus, "campaign": campaign, "modes": ["video"], "languages": [], "sectors": []}
        with on_commit():
            enrollment = services.enrollment_apply(capacity=2, **kwargs)
            services.enrollment_apply(capacity=3, **kwargs)
        assert len(to(member.email)) == 1
        with on_commit():
            services.enrollment_withdraw(enrollment=enrollment)
            services.enrollment_apply(capacity=1, **kwargs)
        assert len(to(member.email)) == 2

    def test_a_withdrawal_that_closes_no_mentorship_tells_staff_nothing(self, on_commit):
        member = StaffFactory()
        pending = MentorshipFactory()  # a request, no mentee yet
        with on_commit():
            services.enrollment_withdraw(enrollment=pending.enrollment, by_staff=True)
            services.enrollment_withdraw(enrollment=EnrollmentFactory())
        assert MentorEnrollment.objects.filter(status=MentorEnrollment.Status.WITHDRAWN).count() == 2
        assert to(member.email) == []

    def test_a_road_book_sent_on_time_or_again_late_tells_staff_nothing(self, on_commit):
        member = StaffFactory()
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=10))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        student = roadbook.mentorship.student
        with on_commit():
            roadbook_submit(roadbook=roadbook, student=student)
            roadbook.refresh_from_db()
            roadbook.action_plan = "A new plan."
            roadbook.save()
            with time_machine.travel(interview.start - timedelta(days=1)):
                roadbook_submit(roadbook=roadbook, student=student)
        assert to(member.email) == []


class TestDigest:
    def test_digest_members_get_nothing_at_once_and_one_summary_from_the_sweep(self, on_commit):
        immediate = StaffFactory()
        daily = StaffFactory(staff_notices=User.StaffNotices.DIGEST, first_name="Dana")
        with on_commit():
            _obj, applied_path, _name = mentor_applied()
            _obj, referral_path, _name = coaching_requested()
        assert len(to(immediate.email)) == 2
        assert to(daily.email) == []
        assert SentNotice.objects.filter(recipient=daily, held=True, delivered_at__isnull=True).count() == 2

        mail.outbox.clear()
        with on_commit():
            assert send_digests() == 1
        [digest] = mail.outbox
        assert digest.to == [daily.email]
        assert digest.subject == "Your daily summary: 2 notices"
        assert digest.body.startswith("Hello Dana,")
        for subject, path in [
            ("New mentor application: Nadia Applicant", applied_path),
            ("Coaching requested: Emma Coached", referral_path),
        ]:
            assert f"- {subject}\n  {settings.SITE_URL}{path}" in digest.body
            assert f'<a href="{settings.SITE_URL}{path}">{subject}</a>' in digest.alternatives[0][0]
        held = SentNotice.objects.filter(recipient=daily, held=True)
        assert all(notice.delivered_at is not None for notice in held)
        assert len({notice.digest for notice in held}) == 1

        mail.outbox.clear()
        with on_commit():
            assert send_digests() == 0
        assert mail.outbox == []

    def test_staff_choose_the_digest_on_their_profile(self, client):
        member = StaffOnlyFactory()
        client.force_login(member)
        page = client.get(reverse("accounts:profile")).content.decode()
        assert "One summary a day" in page
        response = client.post(
            reverse("accounts:profile"),
            {
                "user-first_name": member.first_name,
                "user-last_name": member.last_name,
                "user-language": "en",
                "staff-staff_notices": "digest",
            },
        )
        assert response.status_code == 302
        member.refresh_from_db()
        assert member.holds_staff_notices
