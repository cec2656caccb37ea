"""Demo interviews and evaluations.

- the demo student proposed dates for a first interview with the demo mentor;
- another mentee of the demo mentor had a first interview yesterday, waiting for its evaluation;
- a third mentee's first interview is evaluated, with a coaching recommendation.
"""

from datetime import timedelta

from django.utils import timezone

from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot
from evaluations.services.interviews import sync_roadbook_deadline
from mentoring.models import MeetingMode, Mentorship


def _mentee(context, index, message):
    mentor = context["mentorships"]["accepted"].enrollment
    student = context["people"]["students"][index]
    mentorship = Mentorship.objects.filter(student=student, campaign=mentor.campaign, enrollment=mentor).first()
    if mentorship is None:
        mentorship = Mentorship.objects.create(
            student=student,
            enrollment=mentor,
            campaign=mentor.campaign,
            status=Mentorship.Status.ACCEPTED,
            message=message,
            requested_at=timezone.now() - timedelta(days=9),
            responded_at=timezone.now() - timedelta(days=8),
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
    context.setdefault("created", {})["interviews"] = created
