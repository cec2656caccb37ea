"""Clicks at the same instant on the same record (PostgreSQL: real row locks): the record ends as
one of them left it, and each mail leaves once."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.errors import RuleError
from core.models import SentNotice
from evaluations.factories import InterviewFactory
from evaluations.models import Evaluation, Interview
from evaluations.services import evaluations as evaluation_services
from evaluations.services import interviews as interview_services
from mentoring import services as mentoring_services
from mentoring.factories import MentorshipFactory
from mentoring.models import Message
from roadbook import services as roadbook_services
from roadbook.factories import RoadbookFactory
from roadbook.models import RoadbookVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(calls):
    """Runs the calls at once; each outcome is ("ok", result), ("refused", message) or ("error", exception)."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def worker(call):
        try:
            connection.ensure_connection()  # so that the calls, not the connections, race
            barrier.wait()
            outcomes.append(("ok", call()))
        except RuleError as error:
            outcomes.append(("refused", str(error)))
        except Exception as error:  # recorded, so that the test fails on it
            outcomes.append(("error", error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def errors(outcomes):
    return [error for kind, error in outcomes if kind == "error"]


def sent(kind):
    return SentNotice.objects.filter(kind=kind).count()


FIRST_FORM = {
    "project_realistic": "partly",
    "project_relevant": "yes",
    "path_supports_objective": "good",
    "presentation_clarity": "fair",
    "strategy_quality": "good",
    "feedback_project": "Your project is clear.",
    "feedback_strategy": "Use the alumni network more.",
    "action_plan": "Rewrite the CV.",
}


def test_five_completes_and_four_drafts_at_once_complete_once_and_propose_the_follow_up_once():
    start = (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    with time_machine.travel(start - timedelta(days=5)):
        interview = InterviewFactory.confirmed(start=start)
    mentor = interview.mentorship.mentor
    next_meeting = (timezone.now() + timedelta(days=20)).replace(second=0, microsecond=0)
    evaluation = evaluation_services.evaluation_create(interview=interview, mentor=mentor)
    evaluation_services.evaluation_save_draft(
        evaluation=evaluation, mentor=mentor, values={**FIRST_FORM, "next_meeting_at": next_meeting}
    )

    def complete():
        return evaluation_services.evaluation_complete(evaluation=Evaluation.objects.get(), mentor=mentor)

    def draft(n):
        return evaluation_services.evaluation_save_draft(
            evaluation=Evaluation.objects.get(), mentor=mentor, values={"advice": f"Draft {n}"}
        )

    calls = [complete] * 5 + [lambda n=n: draft(n) for n in range(4)]
    outcomes = run_concurrently(calls)

    assert errors(outcomes) == []
    completed = [result for kind, result in outcomes if kind == "ok" and isinstance(result, tuple)]
    assert len(completed) == 1
    refused = [message for kind, message in outcomes if kind == "refused"]
    assert all("completed" in message for message in refused)
    evaluation = Evaluation.objects.get()
    assert evaluation.is_completed
    assert evaluation.feedback_project == "Your project is clear."  # a draft writes only its fields
    assert Interview.objects.get(pk=interview.pk).status == Interview.Status.HELD
    follow_up = Interview.objects.get(kind=Interview.Kind.FOLLOW_UP)
    assert follow_up.status == Interview.Status.PROPOSED
    assert sent("evaluation_shared") == 1
    assert sent("interview_proposed") == 1
    student = interview.mentorship.student
    assert len([m for m in mail.outbox if m.to == [student.email]]) == 2  # the feedback, the follow-up


def test_a_double_click_on_send_posts_one_message_and_one_mail():
    mentorship = MentorshipFactory.accepted()

    outcomes = run_concurrently(
        [
            lambda: mentoring_services.message_post(
                mentorship=mentorship, author=mentorship.student, body="Would Tuesday suit you?"
            )
        ]
        * 5
    )

    assert errors(outcomes) == []
    assert [kind for kind, _ in outcomes] == ["ok"] * 5  # each click is answered as if it had sent it
    assert Message.objects.count() == 1
    assert sent("message_received") == 1
    assert len(mail.outbox) == 1


def test_road_book_drafts_racing_sends_make_one_version_of_a_complete_road_book():
    roadbook = RoadbookFactory()
    student = roadbook.mentorship.student
    model = type(roadbook)

    def submit():
        return roadbook_services.roadbook_submit(roadbook=model.objects.get(), student=student)

    def empty_a_section():
        return roadbook_services.roadbook_save_draft(
            roadbook=model.objects.get(), student=student, sections={"targets": ""}
        )

    outcomes = run_concurrently([submit] * 4 + [empty_a_section])

    assert errors(outcomes) == []
    versions = list(RoadbookVersion.objects.all())
    assert len(versions) <= 1
    assert all(version.sections["targets"] for version in versions)
    assert sent("roadbook_submitted") == len(versions)


def test_answers_to_a_proposal_at_once_confirm_once_or_move_it_once():
    interview = InterviewFactory()  # proposed by the student
    mentorship = interview.mentorship
    slot = interview.slots.get()
    new_start = (timezone.now() + timedelta(days=8)).replace(second=0, microsecond=0)

    def confirm():
        return interview_services.interview_confirm(
            interview=Interview.objects.get(), slot_id=slot.pk, by=mentorship.mentor
        )

    def move():
        return interview_services.interview_propose_other(
            interview=Interview.objects.get(), by=mentorship.mentor, starts=[new_start]
        )

    outcomes = run_concurrently([confirm] * 3 + [move] * 3)

    assert errors(outcomes) == []
    interview.refresh_from_db()
    if interview.status == Interview.Status.CONFIRMED:
        # The confirmation came first: moving a confirmed interview needs a reason.
        assert [kind for kind, _ in outcomes].count("ok") == 1
        assert interview.proposal_round == 1
        assert sent("interview_confirmed") == 2
        assert sent("interview_proposed") == 0
    else:
        # The new dates came first: the mentor can't confirm their own, and the same dates
        # clicked again are the same proposal.
        assert [kind for kind, _ in outcomes].count("ok") == 3
        assert interview.proposal_round == 2
        assert [s.start for s in interview.slots.filter(proposal_round=2)] == [new_start]
        assert sent("interview_proposed") == 1
        assert sent("interview_confirmed") == 0
