from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import AlumnusFactory, LanguageFactory, SectorFactory, StudentFactory
from core.errors import RuleError
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import MentorEnrollment, Mentorship

pytestmark = pytest.mark.django_db

APPLY = reverse("mentoring:mentor_apply")


@pytest.fixture
def recruiting():
    return CampaignFactory.in_recruitment(name="2026–2027", default_mentor_capacity=3)


def application(**overrides):
    data = {
        "capacity": "2",
        "modes": ["video", "phone"],
        "languages": [LanguageFactory(code="en").pk, LanguageFactory(code="fr", name="Français").pk],
        "sectors": [SectorFactory(name="Energy").pk],
        "availability_note": "Evenings",
    }
    data.update(overrides)
    return data


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.get(APPLY)["Location"].startswith(reverse("account_login"))


def test_students_cannot_apply(client, recruiting):
    client.force_login(StudentFactory())
    assert client.get(APPLY).status_code == 404
    assert client.post(APPLY, application()).status_code == 404


def test_form_starts_with_the_campaigns_default_capacity(client, recruiting):
    client.force_login(AlumnusFactory())
    response = client.get(APPLY)
    assert response.status_code == 200
    assert response.context["form"].initial["capacity"] == 3


def test_alumnus_applies_while_recruitment_is_open(client, recruiting):
    alumnus = AlumnusFactory()
    client.force_login(alumnus)
    response = client.post(APPLY, application())
    assert response.status_code == 302
    enrollment = MentorEnrollment.objects.get(alumnus=alumnus, campaign=recruiting)
    assert enrollment.status == MentorEnrollment.Status.APPLIED
    assert enrollment.capacity == 2
    assert enrollment.meeting_modes == ["video", "phone"]
    assert {lang.code for lang in enrollment.languages.all()} == {"en", "fr"}
    assert enrollment.availability_note == "Evenings"


def test_application_can_be_edited_until_decided(client, recruiting):
    enrollment = EnrollmentFactory(campaign=recruiting, status=MentorEnrollment.Status.APPLIED, capacity=1)
    client.force_login(enrollment.alumnus)
    client.post(APPLY, application(capacity="4"))
    enrollment.refresh_from_db()
    assert enrollment.capacity == 4
    assert MentorEnrollment.objects.count() == 1


def test_a_way_of_meeting_is_required_and_nothing_is_written(client, recruiting):
    client.force_login(AlumnusFactory())
    response = client.post(APPLY, application(modes=[]))
    assert response.status_code == 200
    assert "Choose at least one way of meeting." in response.content.decode()
    assert not MentorEnrollment.objects.exists()


def test_applications_after_the_close_are_refused_with_the_date(client):
    campaign = CampaignFactory.in_matching()
    client.force_login(AlumnusFactory())
    response = client.get(APPLY)
    assert "Applications closed on" in response.content.decode()
    response = client.post(APPLY, application(availability_note="Typed before the close"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Applications are closed; nothing was saved." in content
    assert "Typed before the close" in content  # the answers come back, not lost
    assert not MentorEnrollment.objects.filter(campaign=campaign).exists()


def test_the_close_is_exact_to_the_second(recruiting):
    alumnus = AlumnusFactory()
    kwargs = {
        "alumnus": alumnus,
        "campaign": recruiting,
        "capacity": 1,
        "modes": ["video"],
        "languages": [],
        "sectors": [],
    }
    with pytest.raises(RuleError, match="closed on"):
        services.enrollment_apply(**kwargs, now=recruiting.recruitment_closes)
    assert services.enrollment_apply(**kwargs, now=recruiting.recruitment_closes - timedelta(seconds=1))


def test_before_recruitment_opens_the_page_says_when(client):
    CampaignFactory.upcoming()
    client.force_login(AlumnusFactory())
    assert "Applications open on" in client.get(APPLY).content.decode()


def test_last_years_mentor_re_enrols_in_one_step(client):
    energy = SectorFactory(name="Energy")
    english = LanguageFactory(code="en")
    last_year = CampaignFactory(
        name="2025–2026",
        is_current=False,
        recruitment_opens=timezone.now() - timedelta(days=400),
        recruitment_closes=timezone.now() - timedelta(days=350),
    )
    previous = EnrollmentFactory(
        campaign=last_year,
        capacity=3,
        offers_phone=True,
        sectors=[energy],
        languages=[english],
        availability_note="Fridays",
    )
    current = CampaignFactory.in_recruitment(name="2026–2027")
    client.force_login(previous.alumnus)
    response = client.get(APPLY)
    content = response.content.decode()
    assert "Welcome back" in content
    initial = response.context["form"].initial
    assert initial["capacity"] == 3
    assert initial["modes"] == ["video", "phone"]
    assert initial["sectors"] == [energy]
    # One click: the pre-filled answers are sent as they are.
    form = response.context["form"]
    data = {
        "capacity": initial["capacity"],
        "modes": initial["modes"],
        "languages": [lang.pk for lang in initial["languages"]],
        "sectors": [s.pk for s in initial["sectors"]],
        "availability_note": initial["availability_note"],
    }
    assert form.fields.keys() == data.keys()
    assert client.post(APPLY, data).status_code == 302
    enrollment = MentorEnrollment.objects.get(alumnus=previous.alumnus, campaign=current)
    assert enrollment.availability_note == "Fridays"
    assert enrollment.status == MentorEnrollment.Status.APPLIED


class TestDecisions:
    def test_approving_tells_the_alumnus_once(self, django_capture_on_commit_callbacks):
        enrollment = EnrollmentFactory(status=MentorEnrollment.Status.APPLIED)
        with django_capture_on_commit_callbacks(execute=True):
            assert services.enrollment_approve(enrollment=enrollment)
            assert not services.enrollment_approve(enrollment=enrollment)
        enrollment.refresh_from_db()
        assert enrollment.status == MentorEnrollment.Status.APPROVED
        assert enrollment.decided_at is not None
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [enrollment.alumnus.email]
        assert "You are a mentor" in mail.outbox[0].subject

    def test_admin_rejects_in_bulk_and_each_alumnus_is_told(
        self, client, staff_user, django_capture_on_commit_callbacks
    ):
        applications = EnrollmentFactory.create_batch(3, status=MentorEnrollment.Status.APPLIED)
        client.force_login(staff_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/mentoring/mentorenrollment/",
                {"action": "reject", "_selected_action": [e.pk for e in applications]},
            )
        assert response.status_code == 302
        assert set(MentorEnrollment.objects.values_list("status", flat=True)) == {"rejected"}
        assert sorted(m.to[0] for m in mail.outbox) == sorted(e.alumnus.email for e in applications)

    def test_admin_approves_one(self, client, staff_user, django_capture_on_commit_callbacks):
        enrollment = EnrollmentFactory(status=MentorEnrollment.Status.APPLIED)
        client.force_login(staff_user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/admin/mentoring/mentorenrollment/", {"action": "approve", "_selected_action": [enrollment.pk]}
            )
        enrollment.refresh_from_db()
        assert enrollment.status == "approved"
        assert len(mail.outbox) == 1


class TestWithdrawal:
    url = reverse("mentoring:mentor_withdraw")

    def test_withdrawing_declines_pending_requests_and_tells_the_students(
        self, client, django_capture_on_commit_callbacks
    ):
        request_ = MentorshipFactory()
        client.force_login(request_.mentor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(self.url)
        assert response.status_code == 302
        assert MentorEnrollment.objects.get().status == "withdrawn"
        request_.refresh_from_db()
        assert request_.status == Mentorship.Status.DECLINED
        assert [m.to for m in mail.outbox] == [[request_.student.email]]
        assert "withdrew" in mail.outbox[0].body

    def test_a_mentor_with_a_mentee_cannot_withdraw(self, client):
        mentorship = MentorshipFactory.accepted()
        client.force_login(mentorship.mentor)
        response = client.post(self.url, follow=True)
        assert "contact the Alumni Career Department" in response.content.decode()
        assert MentorEnrollment.objects.get().status == "approved"

    def test_withdraw_is_post_only(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(enrollment.alumnus)
        assert client.get(self.url).status_code == 405


class TestApprovedApplications:
    def test_an_approved_application_is_not_edited_silently(self, client, recruiting):
        enrollment = EnrollmentFactory(campaign=recruiting, capacity=1)
        client.force_login(enrollment.alumnus)
        response = client.post(APPLY, application(capacity="5"))
        assert response.status_code == 200
        assert (
            "Your application is approved; contact the Alumni Career Department to change it."
            in response.content.decode()
        )
        enrollment.refresh_from_db()
        assert (enrollment.capacity, enrollment.status) == (1, MentorEnrollment.Status.APPROVED)

    def test_the_service_refuses_with_the_reason(self, recruiting):
        enrollment = EnrollmentFactory(campaign=recruiting)
        with pytest.raises(RuleError, match="Your application is approved; contact the Alumni Career"):
            services.enrollment_apply(
                alumnus=enrollment.alumnus, campaign=recruiting, capacity=3, modes=["video"], languages=[], sectors=[]
            )

    def test_a_mentor_who_withdrew_re_applies_and_is_told_of_the_new_decision(
        self, recruiting, django_capture_on_commit_callbacks
    ):
        enrollment = EnrollmentFactory(campaign=recruiting, status=MentorEnrollment.Status.APPLIED)
        kwargs = {"alumnus": enrollment.alumnus, "campaign": recruiting, "capacity": 2, "modes": ["video"]}
        with django_capture_on_commit_callbacks(execute=True):
            assert services.enrollment_approve(enrollment=enrollment)
            services.enrollment_withdraw(enrollment=enrollment)
            services.enrollment_apply(**kwargs, languages=[], sectors=[])
            assert services.enrollment_approve(enrollment=enrollment)
        assert [m.to for m in mail.outbox] == [[enrollment.alumnus.email]] * 2
        assert all("You are a mentor" in m.subject for m in mail.outbox)


class TestStaffWithdrawal:
    def test_staff_withdraw_a_mentor_with_a_mentee_who_is_told_and_may_choose_again(
        self, client, staff_user, django_capture_on_commit_callbacks
    ):
        mentee = MentorshipFactory.accepted()
        pending = MentorshipFactory(enrollment=mentee.enrollment)
        client.force_login(staff_user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/mentoring/mentorenrollment/", {"action": "withdraw", "_selected_action": [mentee.enrollment.pk]}
            )
        assert response.status_code == 302
        mentee.refresh_from_db()
        pending.refresh_from_db()
        assert MentorEnrollment.objects.get().status == MentorEnrollment.Status.WITHDRAWN
        assert mentee.status == Mentorship.Status.CLOSED
        assert pending.status == Mentorship.Status.DECLINED
        # Both students, and the Career Department, whose member the staff user is.
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [mentee.student.email, pending.student.email, staff_user.email]
        )
        assert any("has left the programme" in m.subject for m in mail.outbox)
        # The student can choose another mentor.
        other = EnrollmentFactory(campaign=mentee.campaign)
        assert services.mentorship_request(student=mentee.student, enrollment=other, message="Hello")
