"""Campaign rosters: who a campaign is for, how students join and leave it, and what reads it."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import StaffFactory, StudentFactory
from accounts.models import User
from accounts.tests.test_signup import SIGNUP, signup_data
from core.errors import RuleError
from core.models import SentNotice
from mentoring import reminders, services
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory, ParticipationFactory
from mentoring.models import Mentorship, Participation

pytestmark = pytest.mark.django_db

SWEEPS = [reminders.matching_open, reminders.without_mentor]
ROSTER = "/admin/mentoring/participation/"


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def when_both_sweeps_fire(campaign):
    return campaign.matching_opens + timedelta(days=campaign.no_mentor_reminder_days)


# --- What reads the roster ------------------------------------------------------------------


class TestRemindersReadTheRoster:
    @pytest.mark.parametrize("sweep", SWEEPS)
    def test_only_active_students_of_the_roster_are_reminded(self, sweep, on_commit):
        campaign = CampaignFactory.in_matching()
        on_roster = ParticipationFactory(campaign=campaign).student
        ParticipationFactory.withdrawn(campaign=campaign)
        StudentFactory()  # a student of no campaign
        ParticipationFactory(campaign=campaign, student__is_active=False)  # account closed
        other = CampaignFactory(is_current=False)
        ParticipationFactory(campaign=other)  # on another campaign's roster
        with time_machine.travel(when_both_sweeps_fire(campaign)), on_commit():
            assert sweep() == 1
        assert recipients() == [on_roster.email]

    @pytest.mark.parametrize("sweep", SWEEPS)
    @pytest.mark.parametrize(
        "status", [Mentorship.Status.REQUESTED, Mentorship.Status.ACCEPTED, Mentorship.Status.CLOSED]
    )
    def test_a_student_with_a_live_or_closed_mentorship_is_not_told_to_find_a_mentor(self, sweep, status, on_commit):
        campaign = CampaignFactory.in_matching()
        taken = ParticipationFactory(campaign=campaign).student
        MentorshipFactory(student=taken, status=status)
        free = ParticipationFactory(campaign=campaign).student
        with time_machine.travel(when_both_sweeps_fire(campaign)), on_commit():
            assert sweep() == 1
        assert recipients() == [free.email]

    @pytest.mark.parametrize("sweep", SWEEPS)
    def test_a_mentorship_in_another_campaign_does_not_count(self, sweep, on_commit):
        last_year = CampaignFactory(is_current=False)
        campaign = CampaignFactory.in_matching()
        student = ParticipationFactory(campaign=campaign).student
        MentorshipFactory(student=student, enrollment=EnrollmentFactory(campaign=last_year), status="closed")
        with time_machine.travel(when_both_sweeps_fire(campaign)), on_commit():
            assert sweep() == 1
        assert recipients() == [student.email]


def _statements(sweep, moment):
    # Content types are cached per process: clear them so both runs measure the same work.
    ContentType.objects.clear_cache()
    with time_machine.travel(moment, tick=False), CaptureQueriesContext(connection) as queries:
        sweep()
    statements = [q["sql"] for q in queries.captured_queries]
    return sum(s.lstrip().upper().startswith("SELECT") for s in statements), len(statements)


@pytest.mark.parametrize("sweep", SWEEPS)
def test_a_roster_sweep_takes_the_same_number_of_queries_for_5_and_500_students(sweep, one_way_into_the_outbox):
    campaign = CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(campaign=campaign, capacity=600)

    def roster(n):
        # Reminded students, and as many left out (removed, or with a mentor), for every n.
        for participation in ParticipationFactory.create_batch(n, campaign=campaign):
            ParticipationFactory.withdrawn(campaign=campaign)
            MentorshipFactory(enrollment=enrollment, student=ParticipationFactory(campaign=campaign).student)
            assert participation.is_active

    moment = when_both_sweeps_fire(campaign)
    roster(5)
    few = _statements(sweep, moment)
    assert SentNotice.objects.count() == 5
    SentNotice.objects.all().delete()
    roster(495)
    many = _statements(sweep, moment)
    assert SentNotice.objects.count() == 500
    assert few[0] == many[0]
    if connection.vendor == "postgresql":
        # SQLite splits a large insert into batches of 999 parameters; PostgreSQL does not.
        assert few[1] == many[1]


# --- Joining --------------------------------------------------------------------------------


class TestSignUpJoinsTheCurrentCampaign:
    def test_a_student_who_signs_up_during_the_campaign_joins_its_roster(self, client):
        campaign = CampaignFactory.in_matching()
        client.post(SIGNUP, signup_data())
        student = User.objects.get(email=signup_data()["email"])
        participation = Participation.objects.get(student=student)
        assert (participation.campaign, participation.source) == (campaign, Participation.Source.SIGNUP)
        assert participation.is_active
        assert list(campaign.roster()) == [student]

    def test_before_the_campaign_starts_too(self, client):
        campaign = CampaignFactory.upcoming()
        client.post(SIGNUP, signup_data())
        assert Participation.objects.get().campaign == campaign

    def test_an_alumnus_does_not_join(self, client):
        CampaignFactory.in_matching()
        client.post(SIGNUP, signup_data(role="alumnus", email="elise@gmail.com"))
        assert User.objects.filter(email="elise@gmail.com").exists()
        assert not Participation.objects.exists()

    def test_no_campaign_is_joined_once_the_current_one_has_ended(self, client):
        campaign = CampaignFactory.in_matching()
        with time_machine.travel(campaign.campaign_ends + timedelta(days=1)):
            client.post(SIGNUP, signup_data())
        assert User.objects.filter(email=signup_data()["email"]).exists()
        assert not Participation.objects.exists()

    def test_nor_without_a_current_campaign(self, client):
        CampaignFactory(is_current=False)
        client.post(SIGNUP, signup_data())
        assert User.objects.filter(email=signup_data()["email"]).exists()
        assert not Participation.objects.exists()


class TestParticipationAdd:
    def test_is_idempotent(self, campaign, student):
        first = services.participation_add(campaign=campaign, student=student, source=Participation.Source.IMPORT)
        again = services.participation_add(campaign=campaign, student=student, source=Participation.Source.STAFF)
        assert first == again
        assert Participation.objects.get().source == Participation.Source.IMPORT

    def test_a_student_staff_removed_stays_removed(self, campaign):
        removed = ParticipationFactory.withdrawn(campaign=campaign)
        again = services.participation_add(
            campaign=campaign, student=removed.student, source=Participation.Source.IMPORT
        )
        assert again == removed
        assert again.status == Participation.Status.WITHDRAWN

    def test_only_students(self, campaign, alumnus):
        with pytest.raises(RuleError, match="Only students"):
            services.participation_add(campaign=campaign, student=alumnus, source=Participation.Source.STAFF)
        assert not Participation.objects.exists()


# --- Leaving --------------------------------------------------------------------------------


class TestParticipationWithdraw:
    def test_records_the_reason_and_the_date(self, campaign):
        participation = ParticipationFactory(campaign=campaign)
        with time_machine.travel(timezone.now(), tick=False):
            services.participation_withdraw(participation=participation, reason="  Left the school.  ")
            now = timezone.now()
        participation.refresh_from_db()
        assert participation.status == Participation.Status.WITHDRAWN
        assert participation.withdrawn_reason == "Left the school."
        assert participation.withdrawn_at == now
        assert not campaign.roster().exists()

    def test_a_reason_is_required(self, campaign):
        participation = ParticipationFactory(campaign=campaign)
        with pytest.raises(RuleError, match="Give the reason"):
            services.participation_withdraw(participation=participation, reason=" ")
        participation.refresh_from_db()
        assert participation.is_active

    def test_twice_is_refused(self, campaign):
        participation = ParticipationFactory.withdrawn(campaign=campaign)
        with pytest.raises(RuleError, match="already removed"):
            services.participation_withdraw(participation=participation, reason="Again")
        participation.refresh_from_db()
        assert participation.withdrawn_reason == "Left the school."

    def test_a_pending_request_is_withdrawn_and_the_mentor_told(self, campaign, on_commit):
        request_ = MentorshipFactory()
        participation = ParticipationFactory(campaign=campaign, student=request_.student)
        with on_commit():
            services.participation_withdraw(participation=participation, reason="Left the school.")
        request_.refresh_from_db()
        assert request_.status == Mentorship.Status.WITHDRAWN
        assert recipients() == [request_.mentor.email]
        assert "The Alumni Career Department removed" in mail.outbox[0].body
        assert "Left the school." not in mail.outbox[0].body  # the reason is for staff

    def test_an_accepted_mentorship_goes_on(self, campaign, on_commit):
        mentorship = MentorshipFactory.accepted()
        participation = ParticipationFactory(campaign=campaign, student=mentorship.student)
        with on_commit():
            services.participation_withdraw(participation=participation, reason="Left the school.")
        mentorship.refresh_from_db()
        assert mentorship.status == Mentorship.Status.ACCEPTED
        assert mail.outbox == []


class TestAWithdrawnStudentCannotChooseAMentor:
    def test_the_service_refuses_with_a_clear_message(self, campaign):
        participation = ParticipationFactory.withdrawn(campaign=campaign)
        with pytest.raises(RuleError, match=f"You were removed from the campaign “{campaign.name}”"):
            services.mentorship_request(
                student=participation.student, enrollment=EnrollmentFactory(campaign=campaign), message="Hello"
            )
        assert not Mentorship.objects.exists()

    def test_a_student_on_the_roster_can(self, campaign):
        student = ParticipationFactory(campaign=campaign).student
        mentorship = services.mentorship_request(
            student=student, enrollment=EnrollmentFactory(campaign=campaign), message="Hello"
        )
        assert mentorship.status == Mentorship.Status.REQUESTED

    def test_removed_from_another_campaign_only_does_not_count(self, campaign):
        student = ParticipationFactory.withdrawn(campaign=CampaignFactory(is_current=False)).student
        ParticipationFactory(campaign=campaign, student=student)
        services.mentorship_request(student=student, enrollment=EnrollmentFactory(campaign=campaign), message="Hi")
        assert Mentorship.objects.filter(student=student).exists()

    def test_the_mentor_page_says_why(self, client, campaign):
        participation = ParticipationFactory.withdrawn(campaign=campaign)
        enrollment = EnrollmentFactory(campaign=campaign)
        client.force_login(participation.student)
        response = client.post(f"/mentors/{enrollment.pk}/choose/", {"message": "Hello"})
        assert response.status_code == 200
        assert "You were removed from the" in response.content.decode()
        assert not Mentorship.objects.exists()


# --- Admin ----------------------------------------------------------------------------------


class TestRosterAdmin:
    def test_the_campaign_list_shows_the_roster_size(self, client, staff_user, campaign):
        ParticipationFactory.create_batch(2, campaign=campaign)
        ParticipationFactory.withdrawn(campaign=campaign)
        client.force_login(staff_user)
        content = client.get("/admin/mentoring/campaign/").content.decode()
        assert f'{ROSTER}?campaign__id__exact={campaign.pk}&amp;status__exact=active">2</a>' in content

    def test_staff_add_a_student_to_the_roster(self, client, staff_user, campaign, student):
        client.force_login(staff_user)
        assert client.get(f"{ROSTER}add/").status_code == 200
        response = client.post(f"{ROSTER}add/", {"campaign": campaign.pk, "student": student.pk})
        assert response.status_code == 302
        participation = Participation.objects.get()
        assert (participation.student, participation.source) == (student, Participation.Source.STAFF)
        assert participation.is_active

    def test_the_add_form_refuses_a_student_already_on_the_roster(self, client, staff_user, campaign):
        participation = ParticipationFactory(campaign=campaign)
        client.force_login(staff_user)
        response = client.post(f"{ROSTER}add/", {"campaign": campaign.pk, "student": participation.student_id})
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
        assert Participation.objects.count() == 1

    def test_the_add_form_offers_students_only(self, client, staff_user, campaign, alumnus):
        client.force_login(staff_user)
        response = client.post(f"{ROSTER}add/", {"campaign": campaign.pk, "student": alumnus.pk})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not Participation.objects.exists()

    def test_remove_from_the_campaign_asks_for_a_reason_first(self, client, staff_user, campaign):
        keep = ParticipationFactory(campaign=campaign)
        leave = ParticipationFactory(campaign=campaign)
        pending = MentorshipFactory(student=leave.student)
        client.force_login(staff_user)
        action = {"action": "withdraw", "_selected_action": [leave.pk]}

        page = client.post(ROSTER, action)
        assert page.status_code == 200
        content = page.content.decode()
        assert 'name="reason"' in content
        assert str(leave.student) in content and str(keep.student) not in content
        assert f"request to {pending.mentor} will be withdrawn" in content
        leave.refresh_from_db()
        assert leave.is_active

        without_reason = client.post(ROSTER, {**action, "apply": "yes", "reason": ""})
        assert without_reason.status_code == 200
        assert "This field is required" in without_reason.content.decode()
        leave.refresh_from_db()
        assert leave.is_active

        done = client.post(ROSTER, {**action, "apply": "yes", "reason": "Left the school."}, follow=True)
        assert "1 student removed from the campaign." in done.content.decode()
        leave.refresh_from_db()
        keep.refresh_from_db()
        assert (leave.status, leave.withdrawn_reason) == (Participation.Status.WITHDRAWN, "Left the school.")
        assert keep.is_active
        pending.refresh_from_db()
        assert pending.status == Mentorship.Status.WITHDRAWN

    def test_a_student_already_removed_is_reported_not_changed(self, client, staff_user, campaign):
        removed = ParticipationFactory.withdrawn(campaign=campaign)
        client.force_login(staff_user)
        response = client.post(
            ROSTER,
            {"action": "withdraw", "_selected_action": [removed.pk], "apply": "yes", "reason": "Again"},
            follow=True,
        )
        content = response.content.decode()
        assert "already removed" in content
        assert "0 students removed from the campaign." in content
        removed.refresh_from_db()
        assert removed.withdrawn_reason == "Left the school."

    def test_staff_who_may_only_view_the_roster_cannot_remove(self, client, campaign):
        viewer = StaffFactory(career_department=False)
        viewer.user_permissions.set(Permission.objects.filter(codename="view_participation"))
        participation = ParticipationFactory(campaign=campaign)
        client.force_login(viewer)
        assert client.get(ROSTER).status_code == 200
        client.post(
            ROSTER, {"action": "withdraw", "_selected_action": [participation.pk], "apply": "yes", "reason": "x"}
        )
        participation.refresh_from_db()
        assert participation.is_active

    def test_roster_entries_are_never_deleted(self, client, staff_user, campaign):
        participation = ParticipationFactory(campaign=campaign)
        client.force_login(staff_user)
        assert client.get(f"{ROSTER}{participation.pk}/delete/").status_code == 403
        assert "delete_selected" not in client.get(ROSTER).content.decode()

    def test_not_for_students(self, client, campaign):
        participation = ParticipationFactory(campaign=campaign)
        client.force_login(participation.student)
        response = client.post(
            ROSTER, {"action": "withdraw", "_selected_action": [participation.pk], "apply": "yes", "reason": "x"}
        )
        assert response.status_code == 302
        assert "/login/" in response["Location"]
        participation.refresh_from_db()
        assert participation.is_active


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_removal_and_a_request_at_once_never_leave_a_removed_student_with_a_pending_request():
    campaign = CampaignFactory.in_matching()
    enrollment = EnrollmentFactory(campaign=campaign, capacity=20)
    participations = ParticipationFactory.create_batch(8, campaign=campaign)
    errors = []

    def race(participation):
        barrier = threading.Barrier(2)

        def remove():
            try:
                barrier.wait()
                services.participation_withdraw(participation=participation, reason="Left the school.")
            except Exception as error:  # recorded and asserted on below
                errors.append(error)
            finally:
                connection.close()

        def request():
            try:
                barrier.wait()
                services.mentorship_request(student=participation.student, enrollment=enrollment, message="Hi")
            except RuleError:
                pass  # refused because the removal came first: the expected other outcome
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=remove), threading.Thread(target=request)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    for participation in participations:
        race(participation)
    assert errors == []
    assert not Participation.objects.active().exists()
    assert not Mentorship.objects.filter(status=Mentorship.Status.REQUESTED).exists()
