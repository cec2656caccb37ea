"""A campaign with known counts, for the dashboard's and the exports' tests (build it with the
clock at ``NOW``)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from accounts.factories import StudentFactory
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory, ParticipationFactory
from mentoring.models import MentorEnrollment, Mentorship
from roadbook.factories import RoadbookFactory

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
Status = Mentorship.Status


def days(n):
    return NOW + timedelta(days=n)


def make_campaign(**kwargs):
    return CampaignFactory(
        recruitment_opens=days(-120),
        recruitment_closes=days(-90),
        matching_opens=days(-90),
        campaign_ends=days(100),
        **kwargs,
    )


def roster_student(campaign, **kwargs):
    """A student of ``campaign``'s roster."""
    return ParticipationFactory(campaign=campaign, student=StudentFactory(**kwargs)).student


def off_roster_students(campaign):
    """Students the campaign is not for: one staff removed from its roster, one never on it."""
    return [ParticipationFactory.withdrawn(campaign=campaign).student, StudentFactory()]


def held(mentorship, start, kind=Interview.Kind.FIRST, form=Evaluation.Kind.FIRST, **answers):
    """An interview held at ``start``, with its evaluation form completed."""
    interview = InterviewFactory.confirmed(mentorship=mentorship, start=start, kind=kind, status=Interview.Status.HELD)
    Evaluation.objects.create(
        interview=interview, kind=form, status=Evaluation.Status.COMPLETED, completed_at=start, **answers
    )
    return interview


def referral(mentorship, status, **kwargs):
    return CoachingReferral.objects.create(
        mentorship=mentorship, recommended_by=mentorship.mentor, reason="Interview practice.", status=status, **kwargs
    )


def build_known_campaign():
    """Nine students on the roster and two off it, six mentors, seven mentorships at every stage.

    m1 (2 places): s1 accepted, s2 closed by the final form    -> full
    m2 (3 places): s3 and s8 accepted, s4 requested 5 days ago, s6 declined
    m3 (1 place):  s5 requested yesterday
    m4 applied, m5 rejected, m6 withdrawn; s7 and s9 have nothing.
    """
    campaign = make_campaign()
    m1, m2, m3 = (EnrollmentFactory(campaign=campaign, capacity=c) for c in (2, 3, 1))
    for status in (
        MentorEnrollment.Status.APPLIED,
        MentorEnrollment.Status.REJECTED,
        MentorEnrollment.Status.WITHDRAWN,
    ):
        EnrollmentFactory(campaign=campaign, status=status)
    s = {i: roster_student(campaign, last_name=f"Student{i}") for i in range(1, 10)}
    off_roster_students(campaign)

    mentorships = {
        1: MentorshipFactory.accepted(student=s[1], enrollment=m1, requested_at=days(-80)),
        2: MentorshipFactory(student=s[2], enrollment=m1, status=Status.CLOSED, requested_at=days(-85)),
        3: MentorshipFactory.accepted(student=s[3], enrollment=m2, requested_at=days(-40)),
        4: MentorshipFactory(student=s[4], enrollment=m2, requested_at=days(-5)),
        5: MentorshipFactory(student=s[5], enrollment=m3, requested_at=days(-1)),
        6: MentorshipFactory(student=s[6], enrollment=m2, status=Status.DECLINED, requested_at=days(-30)),
        8: MentorshipFactory.accepted(student=s[8], enrollment=m2, requested_at=days(-75)),
    }
    # s1: road-book on time, first interview and a follow-up held, a second follow-up five days
    # ago whose form is still pending; coaching done.
    held(mentorships[1], days(-60))
    RoadbookFactory(mentorship=mentorships[1], status="submitted", submitted_at=days(-65))
    held(mentorships[1], days(-20), kind=Interview.Kind.FOLLOW_UP, form=Evaluation.Kind.FOLLOW_UP)
    InterviewFactory.confirmed(mentorship=mentorships[1], start=days(-5), kind=Interview.Kind.FOLLOW_UP)
    referral(mentorships[1], CoachingReferral.Status.DONE, requested_at=days(-50), scheduled_for=days(-40))
    # s2: road-book late, first interview and a follow-up held, the final form: found a job.
    held(mentorships[2], days(-70))
    RoadbookFactory(mentorship=mentorships[2], status="submitted", submitted_at=days(-72))
    held(
        mentorships[2],
        days(-30),
        kind=Interview.Kind.FOLLOW_UP,
        form=Evaluation.Kind.FINAL,
        outcome="job_found",
        outcome_sector="Energy",
        outcome_role="Data analyst",
    )
    # s3: first interview tomorrow, road-book due two days ago and not sent; coaching recommended.
    InterviewFactory.confirmed(mentorship=mentorships[3], start=days(1))
    referral(mentorships[3], CoachingReferral.Status.RECOMMENDED)
    # s8: road-book on time, first interview held nine weeks ago, no follow-up since; coaching
    # requested, then declined.
    held(mentorships[8], days(-63))
    RoadbookFactory(mentorship=mentorships[8], status="submitted", submitted_at=days(-70))
    referral(mentorships[8], CoachingReferral.Status.DECLINED, requested_at=days(-55))
    return campaign, s, mentorships


# Every number of the dashboard for ``build_known_campaign``: {group: [(figure, number, out of, rate %)]}.
EXPECTED = {
    "Mentors": [("Applied", 6, None, None), ("Approved", 3, 6, 50), ("With mentees", 2, 3, 67), ("Full", 1, 3, 33)],
    "Students": [("On the roster", 9, None, None), ("With a request", 7, 9, 78), ("Matched with a mentor", 4, 9, 44)],
    "Mentorships by status": [
        ("Requested", 2, 7, 29),
        ("Accepted", 3, 7, 43),
        ("Declined", 1, 7, 14),
        ("Withdrawn", 0, 7, 0),
        ("Expired", 0, 7, 0),
        ("Closed", 1, 7, 14),
    ],
    "Road-books": [("Sent on time", 2, 4, 50), ("Sent late", 1, 4, 25), ("Not sent", 1, 4, 25)],
    "Interviews and evaluation forms": [
        ("First interviews held", 3, 4, 75),
        ("Evaluation forms completed", 5, 6, 83),
        ("Follow-up interviews held", 2, None, None),
        ("Final forms", 1, 4, 25),
    ],
    "Coaching": [
        ("Recommended by the mentor", 3, None, None),
        ("Requested by the student", 2, 3, 67),
        ("Scheduled", 1, 3, 33),
        ("Done", 1, 3, 33),
    ],
    "Outcomes of the final forms": [
        ("Found a job", 1, 1, 100),
        ("Still searching", 0, 1, 0),
        ("Further studies", 0, 1, 0),
        ("Other", 0, 1, 0),
    ],
}
