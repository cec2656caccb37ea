"""Demo interviews and evaluations, following the charter: every mentee whose first interview is
confirmed or held sent a road-book with a CV, on time (3 days before), but one.

- the demo student proposed dates for a first interview with the demo mentor (road-book: a draft);
- another mentee of the demo mentor had a first interview yesterday, waiting for its evaluation;
  their road-book reached the mentor late (the one late road-book);
- a third mentee's first interview is evaluated, with a coaching recommendation;
- a fourth mentee's first interview is confirmed in five days: their road-book arrived yesterday
  and waits for the demo mentor to read it;
- with other mentors: a coaching session requested and waiting for staff, and three mentorships
  closed by their final form (a job found, still searching, further studies), for the dashboard.
"""

from datetime import timedelta

from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.utils import timezone

from core.audit import accesses, record_access
from core.models import AccessRecord
from evaluations.models import CoachingReferral, Evaluation, Interview, InterviewSlot
from evaluations.services.interviews import sync_roadbook_deadline
from mentoring.models import MeetingMode, MentorEnrollment, Mentorship
from roadbook.demo import demo_cv
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
        # The one late road-book: sent 2 days before the interview, the deadline was 3 days before;
        # the mentor read it the next morning.
        late = _sent_roadbook(waiting, now - timedelta(days=3), 2)
        Roadbook.objects.filter(pk=late.pk).update(mentor_first_opened_at=now - timedelta(days=2))
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
    to_read = _mentee(
        context, 9, "I want to work on energy efficiency in buildings; could we talk about my plan?", days_ago=4
    )
    if not to_read.interviews.exists():
        # A confirmed first interview in five days; the road-book arrived yesterday, on time, and
        # the demo mentor has not opened it yet.
        _first_interview(to_read, (now + timedelta(days=5)).replace(hour=18), Interview.Status.CONFIRMED)
        _sent_roadbook(to_read, now - timedelta(days=1), 9)
        created += 1
    created += _coaching_requested(context, now)
    created += _closed_with_outcomes(context, now)
    created += _audit_trail(context, waiting, evaluated, now)
    created += _roadbooks_follow_the_charter(context)
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


SECTIONS = {
    "professional_project": "Move from a PhD in materials science to an R&D engineer role in industry.",
    "path_and_motivations": "Four years of research on battery materials; I want to see products shipped.",
    "specialization_link": "Materials characterisation is what battery makers' R&D teams need.",
    "targets": "Battery makers and automotive suppliers; Grenoble or Lyon.",
    "job_search_strategy": "Alumni network, two trade fairs, targeted applications.",
    "action_plan": "Rewrite the CV for industry this week; five applications by the end of the month.",
    "questions": "How do I present a PhD to a recruiter in industry?",
}
# What each demo mentee wrote, by the student's index in the demo (the PhD student above is 2).
PROJECTS = {
    3: ("Consulting", "A first job in strategy consulting, in Paris.", "Three firms, case-interview practice."),
    5: ("Marketing", "Brand management in consumer goods.", "Alumni network and two applications a week."),
    6: ("Data", "A data analyst role at a grid operator.", "Targeted applications and meet-ups."),
    7: ("Supply chain", "Supply chain planning in retail.", "Job fairs and the alumni network."),
    8: ("Finance", "Corporate finance, or a master's first.", "Compare programmes and two internships."),
    9: (
        "Energy",
        "Become an energy-efficiency engineer for a building-services company in Lyon.",
        "Five targeted applications, two informational interviews with alumni, one trade fair.",
    ),
}


def _sections(index):
    if index not in PROJECTS:
        return SECTIONS
    field, project, strategy = PROJECTS[index]
    return {
        "professional_project": project,
        "path_and_motivations": f"General engineering, then a specialization in {field.lower()}; two internships.",
        "specialization_link": f"My specialization and internships prepared me for {field.lower()} roles.",
        "targets": f"{field}: large companies and start-ups; France.",
        "job_search_strategy": strategy,
        "action_plan": "Update the CV and LinkedIn this week; applications and follow-ups every Monday.",
        "questions": "What do recruiters in this field look for in a first CV?",
    }


def _sent_roadbook(mentorship, sent, index):
    """The road-book as the student sent it at ``sent``, with a CV: late when after its deadline
    (the first interview's date − 3 days, stored by sync_roadbook_deadline)."""
    sections = _sections(index)
    student = mentorship.student
    roadbook, _created = Roadbook.objects.get_or_create(mentorship=mentorship)
    if roadbook.submitted_at:
        return roadbook
    cv_name = f"CV {student.get_full_name()}.pdf"
    roadbook.cv.save(
        cv_name, ContentFile(demo_cv(student.get_full_name(), sections["professional_project"])), save=False
    )
    for name, value in sections.items():
        setattr(roadbook, name, value)
    roadbook.cv_filename = cv_name
    roadbook.status = Roadbook.Status.SUBMITTED
    roadbook.submitted_at = sent
    roadbook.is_late = roadbook.due_at is not None and sent > roadbook.due_at
    roadbook.save()
    RoadbookVersion.objects.get_or_create(
        roadbook=roadbook,
        number=1,
        defaults={
            "submitted_at": sent,
            "sections": sections,
            "cv": roadbook.cv.name,
            "cv_filename": cv_name,
            "submitted_by": student,
        },
    )
    return roadbook


def _roadbooks_follow_the_charter(context):
    """Every demo mentee whose first interview is confirmed or held sent the road-book: on time,
    5 days before, unless one is already there (the late one). Demos seeded before this rule get
    theirs too."""
    students = context["people"]["students"]
    firsts = Interview.objects.filter(
        mentorship__student__in=students,
        mentorship__campaign=context["campaign"],
        kind=Interview.Kind.FIRST,
        status__in=[Interview.Status.CONFIRMED, Interview.Status.HELD],
    ).select_related("mentorship__student")
    made = 0
    for interview in firsts:
        mentorship = interview.mentorship
        roadbook = Roadbook.objects.filter(mentorship=mentorship).first()
        if roadbook is not None and roadbook.submitted_at:
            continue
        sent = interview.start - timedelta(days=5)
        if mentorship.responded_at:
            # Never before the mentor accepted; still before the deadline (start − 3 days).
            sent = max(sent, mentorship.responded_at + timedelta(hours=1))
        sent = min(sent, timezone.now() - timedelta(hours=1))
        roadbook = _sent_roadbook(mentorship, sent, students.index(mentorship.student))
        if interview.start <= timezone.now():
            # The mentor read it before the interview.
            Roadbook.objects.filter(pk=roadbook.pk).update(mentor_first_opened_at=sent + timedelta(hours=20))
        made += 1
    return made


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
