"""The people and objects of the access matrix (``tests/test_access_matrix.py``).

Seven people, always the same: the student A and A's mentor, a stranger pair of the same campaign
(student B and their mentor, another approved mentor), staff, staff outside the Career Department
(``is_staff`` without its group), and nobody signed in. Then the
objects of A's mentorship at the stage a URL needs: a pending request, a mentorship just
accepted, or one under way (road-book sent, first interview held and evaluated, follow-up
proposed, coaching recommended). Everything is built with the factories and the services or
model rows that the application itself writes, in a campaign whose matching phase is open.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import time_machine
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone

from accounts.factories import StaffFactory, StudentFactory
from accounts.models import DataExport, User
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Evaluation, Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from roadbook.factories import RoadbookFactory
from roadbook.services import roadbook_submit

ROLES = ("anonymous", "student_a", "student_b", "mentor_a", "mentor_b", "staff", "staff_outside")

# Written in the evaluation of the held interview, to tell the two parts apart on a page.
SHARED_FEEDBACK = "SHARED-FEEDBACK: the project is clear."
PRIVATE_ASSESSMENT = "PRIVATE-ASSESSMENT: the salary target is high."

# Which stage of A's mentorship each object needs (the key a URL row names).
STAGES = {
    # Mentor A's page in the directory; any stage would do, the richest is used.
    "enrollment": "under_way",
    "request": "requested",
    "new_mentorship": "accepted",
    "mentorship": "under_way",
    "held_interview": "under_way",
    "follow_up": "under_way",
    "referral": "under_way",
    # Student A's "my data" archive, built in the background (any stage would do).
    "export": "accepted",
    # Pages without an object (the personal area, the dashboard…) show the most with the richest.
    None: "under_way",
}


@dataclass
class World:
    people: dict[str, User | None]
    objects: dict[str, Model] = field(default_factory=dict)


def build_world(obj: str | None) -> World:
    """The seven people, and A's mentorship at the stage ``obj`` needs (see ``STAGES``)."""
    stage = STAGES[obj]
    campaign = CampaignFactory.in_matching()
    enrollment_a = EnrollmentFactory(campaign=campaign)
    enrollment_b = EnrollmentFactory(campaign=campaign)
    student_a, student_b = StudentFactory(), StudentFactory()
    # The strangers are a pair of their own, so that "has a mentorship" is never taken for
    # "is a party to this one".
    MentorshipFactory.accepted(student=student_b, enrollment=enrollment_b)
    world = World(
        people={
            "anonymous": None,
            "student_a": student_a,
            "student_b": student_b,
            "mentor_a": enrollment_a.alumnus,
            "mentor_b": enrollment_b.alumnus,
            "staff": StaffFactory(),
            # is_staff, but not in the Career Department: reads nothing confidential (issue 12).
            "staff_outside": StaffFactory(career_department=False),
        },
        objects={"enrollment": enrollment_a},
    )
    if obj in ("export", None):  # a row and a file in storage: only where a page can show it
        world.objects["export"] = _export(student_a)
    if stage == "requested":
        world.objects["request"] = MentorshipFactory(student=student_a, enrollment=enrollment_a)
    elif stage == "accepted":
        mentorship = MentorshipFactory.accepted(student=student_a, enrollment=enrollment_a)
        RoadbookFactory(mentorship=mentorship)  # a draft the student is still writing
        world.objects["new_mentorship"] = mentorship
    else:
        world.objects.update(_under_way(student_a, enrollment_a))
    return world


def _export(student):
    """An archive ready for A to download, as the background task leaves it."""
    now = timezone.now()
    export = DataExport(user=student, ready_at=now, expires_at=now + timedelta(hours=24))
    export.file.save("my-data.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=False)
    export.save()
    return export


def _under_way(student, enrollment):
    """A's mentorship a week and a half on: road-book sent on time, first interview held two days
    ago and its form completed, the follow-up the mentor proposed waiting for the student, and a
    coaching session recommended."""
    now = timezone.now()
    held_at = (now - timedelta(days=2)).replace(second=0, microsecond=0)
    with time_machine.travel(now - timedelta(days=9)):
        mentorship = MentorshipFactory.accepted(student=student, enrollment=enrollment)
        roadbook_submit(roadbook=RoadbookFactory(mentorship=mentorship), student=student)
    with time_machine.travel(now - timedelta(days=7)):
        held = InterviewFactory.confirmed(mentorship=mentorship, start=held_at)
    mentor = mentorship.mentor
    with time_machine.travel(held_at + timedelta(hours=1)):
        Interview.objects.filter(pk=held.pk).update(status=Interview.Status.HELD)
        evaluation = Evaluation.objects.create(
            interview=held,
            kind=Evaluation.Kind.FIRST,
            status=Evaluation.Status.COMPLETED,
            completed_at=timezone.now(),
            project_realistic="partly",
            project_realistic_why=PRIVATE_ASSESSMENT,
            project_relevant="yes",
            path_supports_objective="good",
            presentation_clarity="fair",
            strategy_quality="good",
            feedback_project=SHARED_FEEDBACK,
            feedback_strategy="Use the alumni network more.",
            action_plan="Rewrite the CV; contact three alumni.",
            next_meeting_at=now + timedelta(days=7),
            private_notes=PRIVATE_ASSESSMENT,
        )
        follow_up = InterviewFactory(
            mentorship=mentorship,
            kind=Interview.Kind.FOLLOW_UP,
            proposed_by=mentor,
            slot__start=(now + timedelta(days=7)).replace(second=0, microsecond=0),
        )
        referral = CoachingReferral.objects.create(
            mentorship=mentorship, evaluation=evaluation, recommended_by=mentor, reason="Interview practice."
        )
    held.refresh_from_db()
    return {"mentorship": mentorship, "held_interview": held, "follow_up": follow_up, "referral": referral}
