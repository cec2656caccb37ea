from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.errors import RuleError
from evaluations.factories import InterviewFactory
from evaluations.models import Interview
from evaluations.services import interviews as services
from mentoring.factories import EnrollmentFactory, MentorshipFactory
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship():
    return MentorshipFactory.accepted()


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def proposal(*starts, **overrides):
    data = {"duration_minutes": "60", "mode": "video", "link": "https://meet.example.org/abc", "place": "", "phone": ""}
    for i, start in enumerate(starts, 1):
        data[f"slot_{i}"] = local(start)
    data.update(overrides)
    return data


def whole_minutes(moment):
    return moment.replace(second=0, microsecond=0)


def ics_of(message):
    [(filename, content, mimetype)] = message.attachments
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content), filename


class TestProposing:
    def test_student_proposes_up_to_three_dates_and_the_mentor_is_told(self, client, mentorship, on_commit):
        starts = [whole_minutes(timezone.now() + timedelta(days=d)) for d in (4, 5, 6)]
        client.force_login(mentorship.student)
        with on_commit():
            response = client.post(reverse("evaluations:propose", args=[mentorship.pk]), proposal(*starts))
        interview = Interview.objects.get()
        assert response["Location"] == interview.get_absolute_url()
        assert interview.kind == Interview.Kind.FIRST
        assert interview.status == Interview.Status.PROPOSED
        assert [s.start for s in interview.slots.all()] == starts
        [notice] = mail.outbox
        assert notice.to == [mentorship.mentor.email]
        assert interview.get_absolute_url() in notice.body

    def test_a_date_that_breaks_the_3_day_rule_is_refused_with_the_earliest_start(self, client, mentorship):
        client.force_login(mentorship.student)
        response = client.post(
            reverse("evaluations:propose", args=[mentorship.pk]), proposal(timezone.now() + timedelta(days=2))
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "at least 3 days before the first interview" in content
        assert "the earliest start is" in content
        assert not Interview.objects.exists()

    def test_the_rule_holds_to_the_minute(self, mentorship):
        now = whole_minutes(timezone.now())
        with time_machine.travel(now, tick=False):
            with pytest.raises(RuleError, match="earliest start"):
                services.check_slots(
                    mentorship=mentorship, kind="first", starts=[now + timedelta(days=3) - timedelta(minutes=1)]
                )
            services.check_slots(mentorship=mentorship, kind="first", starts=[now + timedelta(days=3)])

    def test_after_the_road_book_is_sent_the_rule_counts_from_the_submission(self, mentorship):
        roadbook = RoadbookFactory(mentorship=mentorship)
        sent = timezone.now() - timedelta(days=5)
        with time_machine.travel(sent, tick=False):
            roadbook_submit(roadbook=roadbook, student=mentorship.student)
        mentorship.refresh_from_db()
        services.check_slots(mentorship=mentorship, kind="first", starts=[timezone.now() + timedelta(hours=2)])

    def test_the_page_shows_the_earliest_start_and_the_road_book_deadline_rule(self, client, mentorship):
        client.force_login(mentorship.student)
        content = client.get(reverse("evaluations:propose", args=[mentorship.pk])).content.decode()
        assert "The earliest possible start is" in content
        assert "Road-book" in content
        assert 'min="' in content

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"mode": "in_person", "place": ""}, "Give the place"),
            ({"mode": "video", "link": ""}, "Give the link"),
            ({"mode": "phone", "phone": ""}, "Give the phone number"),
        ],
    )
    def test_where_to_meet_is_required(self, client, mentorship, overrides, message):
        client.force_login(mentorship.student)
        response = client.post(
            reverse("evaluations:propose", args=[mentorship.pk]),
            proposal(timezone.now() + timedelta(days=5), **overrides),
        )
        assert message in response.content.decode()
        assert not Interview.objects.exists()

    def test_same_date_twice_and_past_dates_are_refused(self, mentorship):
        start = timezone.now() + timedelta(days=5)
        with pytest.raises(RuleError, match="different"):
            services.check_slots(mentorship=mentorship, kind="first", starts=[start, start])
        with pytest.raises(RuleError, match="in the past"):
            services.check_slots(mentorship=mentorship, kind="follow_up", starts=[timezone.now() - timedelta(hours=1)])

    def test_the_mentor_does_not_propose_the_first_interview(self, mentorship):
        with pytest.raises(RuleError, match="The student proposes the first interview"):
            services.interview_propose(
                mentorship=mentorship,
                by=mentorship.mentor,
                kind="first",
                starts=[timezone.now() + timedelta(days=5)],
                duration_minutes=60,
                mode="phone",
                phone="0102030405",
            )

    def test_only_one_first_interview(self, mentorship):
        kwargs = {
            "mentorship": mentorship,
            "by": mentorship.student,
            "kind": "first",
            "duration_minutes": 60,
            "mode": "phone",
            "phone": "01",
        }
        services.interview_propose(starts=[timezone.now() + timedelta(days=5)], **kwargs)
        with pytest.raises(RuleError, match="already scheduled or proposed"):
            services.interview_propose(starts=[timezone.now() + timedelta(days=6)], **kwargs)

    def test_nothing_to_propose_while_an_interview_is_pending(self, client, mentorship):
        InterviewFactory(mentorship=mentorship)
        client.force_login(mentorship.student)
        assert "Propose an interview" not in client.get(mentorship.get_absolute_url()).content.decode()
        assert client.get(reverse("evaluations:propose", args=[mentorship.pk]))["Location"] == (
            mentorship.get_absolute_url()
        )
        response = client.post(
            reverse("evaluations:propose", args=[mentorship.pk]), proposal(timezone.now() + timedelta(days=9))
        )
        assert response.status_code == 200
        assert "There is nothing to propose now" in response.content.decode()
        assert Interview.objects.count() == 1

    def test_follow_ups_come_after_the_first_and_have_no_3_day_rule(self, client, mentorship):
        InterviewFactory.confirmed(mentorship=mentorship, status=Interview.Status.HELD)
        client.force_login(mentorship.mentor)
        response = client.post(
            reverse("evaluations:propose", args=[mentorship.pk]), proposal(timezone.now() + timedelta(days=1))
        )
        follow_up = Interview.objects.get(kind=Interview.Kind.FOLLOW_UP)
        assert response["Location"] == follow_up.get_absolute_url()
        assert follow_up.proposed_by == mentorship.mentor


class TestConfirming:
    def test_the_mentor_confirms_and_both_get_the_invitation(self, client, on_commit):
        interview = InterviewFactory()
        slot = interview.slots.get()
        mentorship = interview.mentorship
        client.force_login(mentorship.mentor)
        with on_commit():
            client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": slot.pk})
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CONFIRMED
        assert interview.start == slot.start
        assert sorted(m.to[0] for m in mail.outbox) == sorted([mentorship.student.email, mentorship.mentor.email])
        calendar, filename = ics_of(mail.outbox[0])
        assert filename == "invite.ics"
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"{interview.uid}@alumni-mentoring"
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == slot.start
        assert event.decoded("DTEND") == slot.start + timedelta(minutes=60)
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == sorted(f"mailto:{u.email}" for u in (mentorship.student, mentorship.mentor))

    def test_the_proposer_cannot_confirm_their_own_dates(self, client):
        interview = InterviewFactory()
        client.force_login(interview.mentorship.student)
        response = client.post(
            reverse("evaluations:confirm", args=[interview.pk]), {"slot": interview.slots.get().pk}, follow=True
        )
        assert "The other side confirms the dates you proposed." in response.content.decode()
        interview.refresh_from_db()
        assert interview.status == Interview.Status.PROPOSED

    def test_confirming_after_the_rule_became_impossible_is_refused(self, client):
        interview = InterviewFactory()  # one slot five days ahead, no road-book sent
        slot = interview.slots.get()
        client.force_login(interview.mentorship.mentor)
        with time_machine.travel(slot.start - timedelta(days=2)):
            response = client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": slot.pk}, follow=True)
        assert "the earliest start is" in response.content.decode()
        interview.refresh_from_db()
        assert interview.status == Interview.Status.PROPOSED

    def test_a_bad_slot_value_changes_nothing(self, client):
        interview = InterviewFactory()
        client.force_login(interview.mentorship.mentor)
        for value in ("abc", "999999", ""):
            response = client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": value}, follow=True)
            assert response.status_code == 200
            assert "Choose one of the proposed dates." in response.content.decode()
        interview.refresh_from_db()
        assert interview.status == Interview.Status.PROPOSED

    def test_the_mentor_proposes_other_dates_and_the_student_confirms(self, client):
        interview = InterviewFactory()
        mentorship = interview.mentorship
        new = whole_minutes(timezone.now() + timedelta(days=7))
        client.force_login(mentorship.mentor)
        client.post(reverse("evaluations:propose_other", args=[interview.pk]), {"slot_1": local(new)})
        interview.refresh_from_db()
        assert interview.proposed_by == mentorship.mentor
        assert interview.proposal_round == 2
        client.force_login(mentorship.student)
        slot = interview.slots.get(proposal_round=2)
        client.post(reverse("evaluations:confirm", args=[interview.pk]), {"slot": slot.pk})
        interview.refresh_from_db()
        assert (interview.status, interview.start) == (Interview.Status.CONFIRMED, new)


class TestChanges:
    def test_a_reschedule_sends_an_update_with_the_same_uid_and_a_higher_sequence(self, client, on_commit):
        interview = InterviewFactory.confirmed()
        mentorship = interview.mentorship
        new = whole_minutes(timezone.now() + timedelta(days=9))
        client.force_login(mentorship.student)
        moved = reverse("evaluations:propose_other", args=[interview.pk])
        response = client.post(moved, {"slot_1": local(new)})
        assert "Say why the interview moves" in response.content.decode()
        assert interview.slots.count() == 1
        with on_commit():
            client.post(moved, {"slot_1": local(new), "reason": "Exam moved to that day."})
        assert "Exam moved to that day." in mail.outbox[0].body
        client.force_login(mentorship.mentor)
        assert "Exam moved to that day." in client.get(interview.get_absolute_url()).content.decode()
        mail.outbox.clear()
        with on_commit():
            client.post(
                reverse("evaluations:confirm", args=[interview.pk]),
                {"slot": interview.slots.get(proposal_round=2).pk},
            )
        interview.refresh_from_db()
        updates = [m for m in mail.outbox if m.attachments]
        assert len(updates) == 2
        calendar, _name = ics_of(updates[0])
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == f"{interview.uid}@alumni-mentoring"
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == new
        assert "moved to" in updates[0].subject

    def test_cancelling_needs_a_reason_and_sends_a_cancellation(self, client, on_commit):
        interview = InterviewFactory.confirmed()
        url = reverse("evaluations:cancel", args=[interview.pk])
        client.force_login(interview.mentorship.mentor)
        assert client.post(url, {"reason": ""}).status_code == 200
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CONFIRMED
        with on_commit():
            client.post(url, {"reason": "Ill, sorry."})
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CANCELLED
        assert len(mail.outbox) == 2
        calendar, _name = ics_of(mail.outbox[0])
        assert calendar["METHOD"] == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1
        assert "Ill, sorry." in mail.outbox[0].body

    def test_the_mentor_keeps_the_date_after_a_late_road_book(self, client):
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)):
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        client.force_login(interview.mentorship.mentor)
        page = client.get(interview.get_absolute_url()).content.decode()
        assert "The road-book arrived after its deadline." in page
        assert "Keep the date" in page
        client.post(reverse("evaluations:keep_date", args=[interview.pk]))
        interview.refresh_from_db()
        assert interview.late_roadbook_kept_at is not None
        client.force_login(interview.mentorship.student)
        assert "The mentor keeps the date." in client.get(interview.get_absolute_url()).content.decode()

    def test_once_started_an_interview_is_neither_kept_nor_moved(self, client):
        """The day after, the late road-book is still said, but not the choice of keeping the
        date, rescheduling or cancelling: the interview took place, or the mentor marks it missed."""
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        roadbook = RoadbookFactory(mentorship=interview.mentorship)
        with time_machine.travel(interview.start - timedelta(days=2)):
            roadbook_submit(roadbook=roadbook, student=interview.mentorship.student)
        client.force_login(interview.mentorship.mentor)
        with time_machine.travel(interview.start + timedelta(days=1)):
            page = client.get(interview.get_absolute_url()).content.decode()
        assert "The road-book arrived after its deadline." in page
        for offer in ("Keep the date", "Reschedule", "Cancel the interview"):
            assert offer not in page
        assert "The student did not come?" in page
        # Nor by a direct request: the service refuses what the page no longer offers.
        with (
            time_machine.travel(interview.start + timedelta(days=1)),
            pytest.raises(RuleError, match="has started"),
        ):
            services.interview_keep_despite_late_roadbook(interview=interview, by=interview.mentorship.mentor)
        interview.refresh_from_db()
        assert interview.late_roadbook_kept_at is None

    def test_a_proposal_whose_old_date_has_passed_can_still_be_answered_or_cancelled(self, client):
        """Other dates were proposed for a confirmed interview, and its old date passed meanwhile:
        it did not take place, so both sides may still propose dates or cancel it."""
        interview = InterviewFactory.confirmed(start=timezone.now() + timedelta(days=4))
        services.interview_propose_other(
            interview=interview,
            by=interview.mentorship.student,
            starts=[interview.start + timedelta(days=3)],
            reason="A job interview that day.",
        )
        client.force_login(interview.mentorship.mentor)
        with time_machine.travel(interview.start + timedelta(hours=2)):
            page = client.get(interview.get_absolute_url()).content.decode()
        assert "Propose other dates" in page
        assert "Cancel the interview" in page


class TestPagesAndAccess:
    def test_invite_ics_download(self, client):
        interview = InterviewFactory.confirmed()
        client.force_login(interview.mentorship.student)
        response = client.get(reverse("evaluations:invite_ics", args=[interview.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        assert calendar["METHOD"] == "REQUEST"

    def test_no_invitation_before_a_date_is_confirmed(self, client):
        interview = InterviewFactory()
        client.force_login(interview.mentorship.student)
        assert client.get(reverse("evaluations:invite_ics", args=[interview.pk])).status_code == 404

    def test_every_page_that_shows_the_interview_shows_the_road_book_status_and_deadline(self, client):
        interview = InterviewFactory.confirmed()
        mentorship = interview.mentorship
        deadline = timezone.localtime(interview.start - timedelta(days=3))
        from django.utils import formats

        expected = formats.date_format(deadline, "DATETIME_FORMAT")
        client.force_login(mentorship.student)
        for page in (
            interview.get_absolute_url(),
            mentorship.get_absolute_url(),
            reverse("mentoring:me"),
            reverse("roadbook:edit", args=[mentorship.pk]),
        ):
            content = client.get(page).content.decode()
            assert "not sent yet" in content, page
            assert f"Deadline: {expected}" in content, page

    @pytest.mark.parametrize("name", ["interview", "confirm", "propose_other", "cancel", "keep_date", "invite_ics"])
    def test_strangers_get_404(self, client, name):
        interview = InterviewFactory.confirmed()
        other = MentorshipFactory.accepted(enrollment=EnrollmentFactory(campaign=interview.mentorship.campaign))
        for stranger in (other.student, other.mentor):
            client.force_login(stranger)
            response = client.post(reverse(f"evaluations:{name}", args=[interview.pk]), {"reason": "x", "slot_1": ""})
            if name in ("interview", "invite_ics"):
                response = client.get(reverse(f"evaluations:{name}", args=[interview.pk]))
            assert response.status_code == 404
        interview.refresh_from_db()
        assert interview.status == Interview.Status.CONFIRMED

    def test_strangers_cannot_propose_for_someone_elses_mentorship(self, client, mentorship):
        client.force_login(MentorshipFactory.accepted().student)
        assert client.get(reverse("evaluations:propose", args=[mentorship.pk])).status_code == 404

    def test_staff_can_open_an_interview(self, client, staff_user):
        interview = InterviewFactory()
        client.force_login(staff_user)
        assert client.get(interview.get_absolute_url()).status_code == 200

    def test_anonymous_is_sent_to_login(self, client):
        interview = InterviewFactory()
        assert client.get(interview.get_absolute_url())["Location"].startswith(reverse("account_login"))


def test_a_started_interview_cannot_be_cancelled(client):
    interview = InterviewFactory.confirmed()
    client.force_login(interview.mentorship.student)
    with time_machine.travel(interview.start + timedelta(minutes=1)):
        response = client.post(
            reverse("evaluations:cancel", args=[interview.pk]), {"reason": "changed my mind"}, follow=True
        )
    assert "it can no longer be cancelled" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CONFIRMED


def test_a_proposal_refused_because_one_is_pending_keeps_what_was_typed(client, mentorship):
    InterviewFactory(mentorship=mentorship)
    client.force_login(mentorship.student)
    response = client.post(
        reverse("evaluations:propose", args=[mentorship.pk]),
        proposal(timezone.now() + timedelta(days=9), mode="in_person", place="TYPED PLACE"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "TYPED PLACE" in content and "There is nothing to propose now" in content
    assert Interview.objects.count() == 1
