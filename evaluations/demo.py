"""Demo interviews and evaluations.

- the demo student proposed dates for a first interview with the demo mentor;
- another mentee of the demo mentor had a first interview yesterday, waiting for its evaluation;
  their road-book reached the mentor late;
- a third mentee's first interview is evaluated, with a coaching recommendation;
- with other mentors: a coaching session requested and waiting for staff, and three mentorships
  closed by their final form (a job found, still searching, further studies), for the dashboard.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from core.audit import accesses, record_access
from core.models import AccessRecord
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot
from evaluations.services.interviews import sync_roadbook_deadline
from mentoring.models import MeetingMode, MentorEnrollment, Mentorship
from roadbook.models import Roadbook, RoadbookVersion


def _mentee(context, index, message, mentor=None, days_ago=9):
    mentor = mentor or context["mentorships"]["accepted"].enrollment
    student = context["people"]["students"][index]
    mentorship = Mentorship.objects.filter(student=student, campaign=mentor.campaign, enrollment=mentor).first()
    if mentorship is None:
        mentorship = Mentorship.objects.create(
            student=student,
            enrollment=mentor,
            campaign=mentor.campaign,
            status=Mentorship.Status.ACCEPTED,
            message=message,
            requested_at=timezone.now() - timedelta(days=days_ago),
            responded_at=timezone.now() - timedelta(days=days_ago - 1),
        )
    return mentorship


def _first_interview(mentorship, start, status):
    interview = Interview.objects.create(
        mentorship=mentorship,
        kind=Interview.Kind.FIRST,
        status=status,
        start=start,
        mode=MeetingMode.VIDEO,
        link="https://meet.example.org/demo",
        proposed_by=mentorship.student,
    )
    InterviewSlot.objects.create(interview=interview, start=start)
    sync_roadbook_deadline(mentorship)
    return interview


def seed(context):
    created = 0
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)

    proposed = context["mentorships"]["accepted"]
    if not proposed.interviews.exists():
        day = now.replace(hour=18)
        interview = Interview.objects.create(
            mentorship=proposed,
            kind=Interview.Kind.FIRST,
            mode=MeetingMode.VIDEO,
            link="https://meet.example.org/demo-first-interview",
            proposed_by=proposed.student,
        )
        InterviewSlot.objects.bulk_create(
            InterviewSlot(interview=interview, start=day + timedelta(days=days)) for days in (6, 8)
        )
        created += 1

    waiting = _mentee(context, 2, "I would like advice on moving from research to industry.")
    if not waiting.interviews.exists():
        _first_interview(waiting, now - timedelta(days=1), Interview.Status.CONFIRMED)
        _late_roadbook(waiting, sent=now - timedelta(days=3))
        created += 1

    evaluated = _mentee(context, 3, "I am looking for a first job in consulting and need feedback on my pitch.")
    if not evaluated.interviews.exists():
        interview = _first_interview(evaluated, now - timedelta(days=4), Interview.Status.HELD)
        evaluation = Evaluation.objects.create(
            interview=interview,
            kind=Evaluation.Kind.FIRST,
            status=Evaluation.Status.COMPLETED,
            completed_at=now - timedelta(days=4),
            project_realistic="partly",
            project_realistic_why="The target firms are right, the salary expectation is high for a first job.",
            project_relevant="yes",
            path_supports_objective="good",
            presentation_clarity="fair",
            strategy_quality="fair",
            feedback_project="A clear and motivated project; say earlier why consulting.",
            feedback_cv="Lead with the internship; one page.",
            feedback_strategy="Target fewer firms and use the alumni network.",
            strengths="Curiosity and structured thinking.",
            advice="Prepare a two-minute pitch and two case interviews.",
            action_plan="Rewrite the CV this week; contact three alumni in consulting; two mock cases.",
            next_meeting_to_be_agreed=True,
            private_notes="Seemed anxious about interviews.",
        )
        CoachingReferral.objects.create(
            mentorship=evaluated,
            evaluation=evaluation,
            recommended_by=evaluated.mentor,
            reason="Job-interview training (case interviews) would build confidence.",
        )
        created += 1
    created += _coaching_requested(context, now)
    created += _closed_with_outcomes(context, now)
    created += _audit_trail(context, waiting, evaluated, now)
    context.setdefault("created", {})["interviews"] = created


def _audit_trail(context, waiting, evaluated, now):
    """Who read the late road-book and the evaluated form: the demo mentor, then staff (their
    admin pages and the student's road-book page show it)."""
    roadbook = Roadbook.objects.get(mentorship=waiting)
    if accesses(roadbook).exists():
        return 0
    mentor, staff = waiting.mentor, context["people"]["staff"]
    reads = [
        (mentor, roadbook, AccessRecord.What.PAGE, now - timedelta(days=2, hours=3)),
        (mentor, roadbook, AccessRecord.What.CV, now - timedelta(days=2, hours=2)),
        (staff, roadbook, AccessRecord.What.PDF, now - timedelta(hours=20)),
    ]
    evaluation = Evaluation.objects.filter(interview__mentorship=evaluated).first()
    if evaluation is not None:
        reads.append((staff, evaluation, AccessRecord.What.PAGE, now - timedelta(hours=5)))
    for who, obj, what, when in reads:
        AccessRecord.objects.filter(pk=record_access(who, obj, what).pk).update(at=when)
    # The demo wrote the road-book as sent directly: its trail says who sent it, and when.
    LogEntry.objects.log_create(
        roadbook,
        action=LogEntry.Action.UPDATE,
        changes={"status": [Roadbook.Status.DRAFT, Roadbook.Status.SUBMITTED]},
        actor=waiting.student,
        timestamp=roadbook.submitted_at,
    )
    return 1


def _other_mentor(context, index):
    return MentorEnrollment.objects.get(alumnus=context["people"]["alumni"][index], campaign=context["campaign"])


def _late_roadbook(mentorship, sent):
    """A road-book that reached the mentor after its deadline (first interview − 3 days)."""
    sections = {
        "professional_project": "Move from a PhD in materials science to an R&D engineer role in industry.",
        "path_and_motivations": "Four years of research on battery materials; I want to see products shipped.",
        "specialization_link": "Materials characterisation is what battery makers' R&D teams need.",
        "targets": "Battery makers and automotive suppliers; Grenoble or Lyon.",
        "job_search_strategy": "Alumni network, two trade fairs, targeted applications.",
        "action_plan": "Rewrite the CV for industry this week; five applications by the end of the month.",
        "questions": "How do I present a PhD to a recruiter in industry?",
    }
    Roadbook.objects.filter(mentorship=mentorship).update(
        **sections, status=Roadbook.Status.SUBMITTED, submitted_at=sent, is_late=True
    )
    roadbook = Roadbook.objects.get(mentorship=mentorship)
    RoadbookVersion.objects.get_or_create(
        roadbook=roadbook,
        number=1,
        defaults={"submitted_at": sent, "sections": sections, "submitted_by": mentorship.student},
    )


def _held(mentorship, start, kind, **answers):
    """An interview that took place, with its form completed."""
    interview = Interview.objects.create(
        mentorship=mentorship,
        kind=kind,
        status=Interview.Status.HELD,
        start=start,
        mode=MeetingMode.VIDEO,
        link="https://meet.example.org/demo",
        proposed_by=mentorship.student,
    )
    InterviewSlot.objects.create(interview=interview, start=start)
    evaluation_kind = answers.pop("evaluation_kind", Evaluation.Kind.FIRST)
    Evaluation.objects.create(
        interview=interview,
        kind=evaluation_kind,
        status=Evaluation.Status.COMPLETED,
        completed_at=start + timedelta(hours=2),
        **answers,
    )
    return interview


FIRST_FORM = {
    "project_realistic": "yes",
    "project_relevant": "yes",
    "path_supports_objective": "good",
    "presentation_clarity": "good",
    "strategy_quality": "fair",
    "feedback_project": "A realistic project; name your target companies.",
    "feedback_strategy": "Use the alumni network before applying.",
    "action_plan": "Three informational interviews in the next two weeks.",
    "next_meeting_to_be_agreed": True,
}


def _coaching_requested(context, now):
    """A student who asked for the coaching session their mentor recommended: staff schedule it."""
    mentorship = _mentee(
        context, 5, "I want to work in marketing and need help with interviews.", _other_mentor(context, 1), 20
    )
    if mentorship.interviews.exists():
        return 0
    interview = _held(mentorship, now - timedelta(days=12), Interview.Kind.FIRST, **FIRST_FORM)
    referral = CoachingReferral.objects.create(
        mentorship=mentorship,
        evaluation=interview.evaluation,
        recommended_by=mentorship.mentor,
        reason="Mock job interviews would help with the stress of the first minutes.",
        status=CoachingReferral.Status.REQUESTED,
        requested_at=now - timedelta(days=2),
    )
    # Recommended with the form, before the student asked for it.
    CoachingReferral.objects.filter(pk=referral.pk).update(created_at=now - timedelta(days=12))
    sync_roadbook_deadline(mentorship)
    return 1


OUTCOMES = [
    (6, 2, "job_found", "Data analyst", "Signed with a grid operator; starts next month."),
    (7, 3, "searching", "", "Two final interviews this month; the pitch is much clearer."),
    (8, 4, "studies", "", "Chose a one-year master's in finance; applications sent."),
]


def _closed_with_outcomes(context, now):
    """Mentorships closed by their final form, each with its outcome."""
    made = 0
    for student, mentor, outcome, role, assessment in OUTCOMES:
        mentorship = _mentee(
            context, student, "I would like feedback on my job search.", _other_mentor(context, mentor), 50
        )
        if mentorship.interviews.exists():
            continue
        _held(mentorship, now - timedelta(days=40), Interview.Kind.FIRST, **FIRST_FORM)
        _held(
            mentorship,
            now - timedelta(days=10),
            Interview.Kind.FOLLOW_UP,
            evaluation_kind=Evaluation.Kind.FINAL,
            outcome=outcome,
            outcome_role=role,
            overall_assessment=assessment,
            what_helped="The mock interviews and the alumni introductions.",
        )
        Mentorship.objects.filter(pk=mentorship.pk).update(
            status=Mentorship.Status.CLOSED, closed_at=now - timedelta(days=10)
        )
        sync_roadbook_deadline(mentorship)
        made += 1
    return made
