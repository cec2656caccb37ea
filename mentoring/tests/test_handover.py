"""Handing the programme over to next year's campaign: in the admin form, and in one action."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.factories import LanguageFactory, SectorFactory
from core.errors import RuleError
from core.models import SentNotice
from mentoring import services
from mentoring.factories import CampaignFactory, EnrollmentFactory
from mentoring.models import Campaign
from mentoring.tests.test_campaigns import TestAdmin as CampaignForm

pytestmark = pytest.mark.django_db


def recipients():
    return sorted(m.to[0] for m in mail.outbox)


def test_staff_save_a_new_campaign_as_current_while_another_is_current(client, staff_user):
    # The partial unique constraint was validated by the form before save() could retire the
    # previous campaign: "Constraint “one_current_campaign” is violated".
    old = CampaignFactory(is_current=True, name="2026–2027")
    client.force_login(staff_user)
    response = client.post(CampaignForm.url, CampaignForm().form(name="2027–2028"))
    assert response.status_code == 302, response.content.decode()
    old.refresh_from_db()
    assert not old.is_current
    assert Campaign.objects.current().name == "2027–2028"


def at(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def year_2026_2027(**overrides):
    """An ended campaign with charter-like dates, as staff would have set them."""
    fields = {
        "name": "2026–2027",
        "is_current": True,
        "recruitment_opens": at(2027, 2, 1, 9),  # winter time in Paris
        "recruitment_closes": at(2027, 5, 3),  # summer time
        "matching_opens": at(2027, 5, 3),
        "campaign_ends": at(2027, 12, 31, 23, 59),
        "roadbook_min_days": 4,
        "default_mentor_capacity": 3,
        "request_expiry_days": 9,
        "no_mentor_reminder_days": 10,
        "final_form_reminder_days": 21,
    }
    return CampaignFactory(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026–2027", "2027–2028"),
        ("2026-2027", "2027-2028"),
        ("Campaign 2026", "Campaign 2027"),
        ("2026/27 class of 2027", "2027/27 class of 2028"),
        ("Demo campaign", "2028–2029"),
    ],
)
def test_next_campaign_name(name, expected):
    assert services.next_campaign_name(name, opens=at(2028, 9, 1), ends=at(2029, 6, 30)) == expected


def test_a_name_without_a_year_within_one_year_takes_that_year():
    assert services.next_campaign_name("Pilot", opens=at(2028, 2, 1), ends=at(2028, 12, 31)) == "2028"


class TestCampaignStartNext:
    def test_dates_a_year_later_on_the_same_wall_clock_rules_copied_and_current(self):
        old = year_2026_2027()
        with time_machine.travel(at(2028, 1, 15)):
            new = services.campaign_start_next(campaign=old)
        new.refresh_from_db()
        old.refresh_from_db()
        assert new.name == "2027–2028"
        assert (new.recruitment_opens, new.recruitment_closes) == (at(2028, 2, 1, 9), at(2028, 5, 3))
        assert (new.matching_opens, new.campaign_ends) == (at(2028, 5, 3), at(2028, 12, 31, 23, 59))
        rules = ["roadbook_min_days", "default_mentor_capacity", "request_expiry_days", "no_mentor_reminder_days"]
        rules += ["final_form_reminder_days", "recruitment_closing_reminder_days", "no_follow_up_reminder_weeks"]
        assert [getattr(new, f) for f in rules] == [getattr(old, f) for f in rules]
        assert new.is_current and not old.is_current
        assert Campaign.objects.current() == new
        assert not new.roster().exists()

    def test_29_february_becomes_28_february(self):
        old = year_2026_2027(
            name="2027–2028",
            recruitment_opens=at(2028, 2, 29, 9),
            recruitment_closes=at(2028, 5, 3),
            matching_opens=at(2028, 5, 3),
            campaign_ends=at(2028, 12, 31),
        )
        new = services.campaign_start_next(campaign=old, while_running=True)
        assert new.recruitment_opens == at(2029, 2, 28, 9)

    def test_last_years_approved_mentors_are_invited_to_re_enrol_once(self, on_commit):
        old = year_2026_2027()
        approved = EnrollmentFactory(campaign=old, alumnus__language="fr").alumnus
        also = EnrollmentFactory(campaign=old).alumnus
        for status in ["applied", "rejected", "withdrawn"]:
            EnrollmentFactory(campaign=old, status=status)
        EnrollmentFactory(campaign=old, alumnus__is_active=False)
        EnrollmentFactory(campaign=CampaignFactory(is_current=False))  # a mentor of another year
        with time_machine.travel(at(2028, 1, 15)), on_commit():
            new = services.campaign_start_next(campaign=old)
        assert recipients() == sorted([approved.email, also.email])
        sent = SentNotice.objects.filter(kind="mentor_reenrolment")
        assert sent.count() == 2
        assert {n.object_id for n in sent} == {new.pk}
        to_english = next(m for m in mail.outbox if m.to == [also.email])
        assert to_english.subject.startswith("The campaign “2027–2028” is starting")
        assert "You were a mentor of the campaign “2026–2027”" in to_english.body
        assert "http://127.0.0.1:8000/mentor/apply/" in to_english.body
        to_french = next(m for m in mail.outbox if m.to == [approved.email])
        assert "2027–2028" in to_french.subject
        assert "/mentor/apply/" in to_french.body
        assert "You were a mentor" not in to_french.body

    def test_refused_when_the_campaign_exists_and_nothing_changes(self, on_commit):
        old = year_2026_2027()
        EnrollmentFactory(campaign=old)
        CampaignFactory(name="2027–2028", is_current=False)
        with on_commit(), pytest.raises(RuleError, match="named “2027–2028” already exists"):
            services.campaign_start_next(campaign=old, while_running=True)
        old.refresh_from_db()
        assert old.is_current
        assert Campaign.objects.count() == 2
        assert mail.outbox == []

    def test_a_second_handover_is_refused(self):
        old = year_2026_2027()
        services.campaign_start_next(campaign=old, while_running=True)
        with pytest.raises(RuleError, match="from the current one, 2027–2028"):
            services.campaign_start_next(campaign=old, while_running=True)
        assert Campaign.objects.count() == 2

    def test_a_running_campaign_is_handed_over_only_when_staff_say_so(self):
        old = year_2026_2027()
        with time_machine.travel(at(2027, 6, 1)):
            with pytest.raises(RuleError, match="runs until"):
                services.campaign_start_next(campaign=old)
            assert Campaign.objects.count() == 1
            assert services.campaign_start_next(campaign=old, while_running=True).is_current

    def test_not_from_an_earlier_campaign(self):
        earlier = CampaignFactory(name="2025–2026", is_current=False)
        year_2026_2027()
        with time_machine.travel(at(2028, 1, 15)), pytest.raises(RuleError, match="from the current one, 2026–2027"):
            services.campaign_start_next(campaign=earlier)
        assert Campaign.objects.count() == 2

    def test_a_failed_invitation_undoes_the_new_campaign(self, monkeypatch):
        old = year_2026_2027()
        EnrollmentFactory(campaign=old)

        def broken(kind, notices):
            list(notices)
            raise RuntimeError("template missing")

        monkeypatch.setattr(services, "send_notices", broken)
        with pytest.raises(RuntimeError):
            services.campaign_start_next(campaign=old, while_running=True)
        old.refresh_from_db()
        assert old.is_current
        assert list(Campaign.objects.values_list("name", flat=True)) == ["2026–2027"]

    def test_the_mentor_re_enrols_in_one_click_once_recruitment_opens(self, client):
        old = year_2026_2027()
        mentor = EnrollmentFactory(campaign=old, capacity=3, sectors=[SectorFactory()], languages=[LanguageFactory()])
        new = services.campaign_start_next(campaign=old, while_running=True)
        with time_machine.travel(new.recruitment_opens + timedelta(days=1)):
            client.force_login(mentor.alumnus)
            response = client.get("/mentor/apply/")
            assert "Welcome back" in response.content.decode()
            initial = response.context["form"].initial
            data = {
                "capacity": initial["capacity"],
                "modes": initial["modes"],
                "languages": [language.pk for language in initial["languages"]],
                "sectors": [sector.pk for sector in initial["sectors"]],
                "availability_note": initial["availability_note"],
            }
            assert client.post("/mentor/apply/", data).status_code == 302
        assert new.enrollments.get().alumnus == mentor.alumnus


class TestStartNextAction:
    url = "/admin/mentoring/campaign/"

    def test_asks_first_then_hands_over(self, client, staff_user, on_commit):
        old = year_2026_2027()
        EnrollmentFactory.create_batch(2, campaign=old)
        client.force_login(staff_user)
        action = {"action": "start_next", "_selected_action": [old.pk]}

        page = client.post(self.url, action)
        assert page.status_code == 200
        content = page.content.decode()
        assert "The campaign “2027–2028” will be created from 2026–2027" in content
        assert "2 mentors approved in 2026–2027 get a mail inviting them to re-enrol." in content
        assert "in place of 2026–2027" in content
        assert Campaign.objects.count() == 1

        assert "is still running" in content  # a loud warning, and a box to tick
        refused = client.post(self.url, {**action, "apply": "yes"})
        assert "runs until" in refused.content.decode() and Campaign.objects.count() == 1
        with on_commit():
            response = client.post(self.url, {**action, "apply": "yes", "while_running": "yes"})
        new = Campaign.objects.get(name="2027–2028")
        assert response.status_code == 302
        assert response["Location"] == f"/admin/mentoring/campaign/{new.pk}/change/"
        assert Campaign.objects.current() == new
        assert len(mail.outbox) == 2
        follow = client.get(response["Location"]).content.decode()
        assert "The campaign “2027–2028” is current; 2 mentors were invited to re-enrol." in follow

    def test_says_so_when_the_campaign_exists(self, client, staff_user):
        old = year_2026_2027()
        CampaignFactory(name="2027–2028", is_current=False)
        client.force_login(staff_user)
        response = client.post(self.url, {"action": "start_next", "_selected_action": [old.pk]}, follow=True)
        assert "A campaign named “2027–2028” already exists." in response.content.decode()
        assert Campaign.objects.current() == old

    def test_one_campaign_at_a_time(self, client, staff_user):
        first, second = year_2026_2027(), CampaignFactory(is_current=False)
        client.force_login(staff_user)
        response = client.post(
            self.url, {"action": "start_next", "_selected_action": [first.pk, second.pk], "apply": "yes"}, follow=True
        )
        assert "Select one campaign" in response.content.decode()
        assert Campaign.objects.count() == 2

    def test_not_for_students(self, client, student):
        old = year_2026_2027()
        client.force_login(student)
        response = client.post(self.url, {"action": "start_next", "_selected_action": [old.pk], "apply": "yes"})
        assert response.status_code == 302
        assert Campaign.objects.count() == 1
