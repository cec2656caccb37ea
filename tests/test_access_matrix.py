"""Every URL of the product, for every role: who may reach what, cell by cell.

Like pretix's permission tests and Zulip's URL coverage: every URL pattern of ours has a row in
``EXPECTED`` saying which object fills its arguments and the exact status each of seven people gets,
for GET and, where the view takes one, for POST. A new URL without a row, or a row left behind by
a removed URL, fails ``test_every_url_pattern_has_a_row``: a page cannot ship without saying who
may reach it.

The product's rules the table encodes:
- nobody signed in is sent to the sign-in page (``LOGIN``), except on the landing page and the
  health check;
- someone else's object is a 404, never a 403 that would confirm it exists;
- an action refused by a programme rule (the wrong side of the mentorship, the wrong moment)
  redirects back with a message (302), or shows the form again with the reason (200);
- ``login_required`` runs before ``require_POST``: a GET of an action sends the anonymous visitor
  to sign in and answers 405 to everyone else; likewise a POST to a page that only shows things
  (``require_safe``).

Bodies are valid but minimal; what a 302 or 200 means is said next to each row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.access_matrix_objects import ROLES, STAGES, World, build_world

pytestmark = pytest.mark.django_db

# A 302 to the sign-in page.
LOGIN = "login"

# Third-party URLs, tested by their own projects; our own admin actions are tested with their apps.
EXCLUDED_INCLUDES = {
    "admin/": "Django admin",
    "accounts/": "allauth (sign-up, sign-in, e-mail confirmation, password reset)",
}


def everyone(status, *, anonymous=None):
    """The same status for all seven people (the anonymous visitor's, when given, aside)."""
    return by_role(
        anonymous=status if anonymous is None else anonymous,
        student_a=status,
        student_b=status,
        mentor_a=status,
        mentor_b=status,
        staff=status,
        staff_outside=status,
    )


def by_role(*, anonymous, student_a, student_b, mentor_a, mentor_b, staff, staff_outside=None):
    """The status each person gets; ``student_b`` and ``mentor_b`` are strangers to A's mentorship;
    ``staff_outside`` has ``is_staff`` but is not in the Career Department (an alumnus without an
    enrolment): the programme's pages treat them as anyone else. A row must say it (None: unsaid,
    which ``test_every_row_names_a_known_object_and_all_seven_people`` refuses)."""
    return {
        "anonymous": anonymous,
        "student_a": student_a,
        "student_b": student_b,
        "mentor_a": mentor_a,
        "mentor_b": mentor_b,
        "staff": staff,
        "staff_outside": staff_outside,
    }


# A GET of a ``@login_required @require_POST`` action.
POST_ONLY = everyone(405, anonymous=LOGIN)
# A POST to a ``@login_required @require_safe`` page, which only shows things.
READ_ONLY = POST_ONLY


@dataclass(frozen=True)
class Url:
    obj: str | None  # what fills ``<pk>``: a key of access_matrix_objects.STAGES
    get: dict
    post: dict | None = None  # None: the view takes no POST of its own
    body: Callable[[World], dict] | None = None
    actor: str | None = None  # whom the POST is for: the CSRF test posts as them


def _local(days):
    """A date-time field's value, ``days`` from now, in the school's time zone."""
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


EXPECTED = {
    # --- mentoring: personal area, dashboard, health ------------------------------------------
    # Signed-in people go on to their personal area.
    "mentoring:landing": Url(
        None,
        get=everyone(302, anonymous=200),
    ),
    "mentoring:me": Url(
        None,
        get=everyone(200, anonymous=LOGIN),
        post=READ_ONLY,
    ),
    "mentoring:staff": Url(
        None,
        get=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=404, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # The dashboard's tables as CSV or XLSX files (the table, format and campaign are parameters:
    # by default, the current campaign's numbers as CSV). Staff only.
    "mentoring:staff_export": Url(
        None,
        get=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=404, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # For load balancers: no sign-in; GET only.
    "mentoring:healthz": Url(
        None,
        get=everyone(200),
        post=everyone(405),
    ),
    # --- mentoring: recruitment and directory -------------------------------------------------
    # Alumni only (the staff user is an alumnus too). Recruitment is closed in the matching phase:
    # a POST shows the answers again with the reason, and saves nothing (200).
    "mentoring:mentor_apply": Url(
        None,
        get=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=200, mentor_b=200, staff=200, staff_outside=200
        ),
        post=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=200, mentor_b=200, staff=200, staff_outside=200
        ),
        body=lambda world: {"capacity": "2", "modes": ["video"], "availability_note": "Evenings."},
        actor="mentor_b",
    ),
    # Both mentors have a mentee, so both are refused (302 to the personal area, with the reason:
    # staff withdraw a mentor who has mentees); staff have no enrolment of their own (404).
    "mentoring:mentor_withdraw": Url(
        None,
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=302, mentor_b=302, staff=404, staff_outside=404
        ),
        actor="mentor_a",
    ),
    # Students only, from matching_opens.
    "mentoring:directory": Url(
        None,
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=200, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    "mentoring:mentor_detail": Url(
        "enrollment",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=200, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # Both students already have a live mentorship: the page comes back with the reason (200).
    "mentoring:choose_mentor": Url(
        "enrollment",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=200, student_b=200, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        body=lambda world: {"message": "I would value your advice."},
        actor="student_b",
    ),
    # A suggested mentor hidden (302 back to the directory): students only, mentors of the directory.
    "mentoring:hide_suggestion": Url(
        "enrollment",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=302, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        actor="student_b",
    ),
    "mentoring:restore_suggestions": Url(
        None,
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=302, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        actor="student_b",
    ),
    # --- mentoring: one mentorship --------------------------------------------------------------
    "mentoring:mentorship": Url(
        "mentorship",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # On the pending request: the mentor accepts (302); the student and staff are refused by the
    # rule, back to the mentorship with the reason (302).
    "mentoring:mentorship_accept": Url(
        "request",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        actor="mentor_a",
    ),
    # As for accepting: only the mentor's decline goes through; the others are refused (302).
    "mentoring:mentorship_decline": Url(
        "request",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        body=lambda world: {"reason": "My places are taken."},
        actor="mentor_a",
    ),
    # The student withdraws (302 to the directory); the mentor and staff are refused (302 back).
    "mentoring:mentorship_withdraw": Url(
        "request",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        actor="student_a",
    ),
    # The pair write (302 to the thread); staff read it but may not write: the form comes back (200).
    "mentoring:mentorship_message": Url(
        "mentorship",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=200, staff_outside=404
        ),
        body=lambda world: {"body": "See you on Tuesday."},
        actor="student_a",
    ),
    # --- accounts -------------------------------------------------------------------------------
    # Everyone edits their own profile only: there is no object in the URL. Saved: 302.
    "accounts:profile": Url(
        None,
        get=everyone(200, anonymous=LOGIN),
        post=everyone(302, anonymous=LOGIN),
        body=lambda world: {
            "user-first_name": "Camille",
            "user-last_name": "Martin",
            "user-language": "en",
            "profile-programme": "General engineering",
            "profile-graduation_year": "2020",
        },
        actor="student_a",
    ),
    # Erasing one's own account: the page, and a POST with a wrong password shows it again (200);
    # the mentors are asked to close their open mentorships first (200, no form).
    "accounts:erase": Url(
        None,
        get=everyone(200, anonymous=LOGIN),
        post=everyone(200, anonymous=LOGIN),
        body=lambda world: {"password": "not the password"},
        actor="student_a",
    ),
    # "My data": everyone's own; a POST answers a small account with its ZIP archive (200).
    "accounts:export": Url(
        None,
        get=everyone(200, anonymous=LOGIN),
        post=everyone(200, anonymous=LOGIN),
        actor="student_a",
    ),
    # An archive built in the background: its owner's only, staff included.
    "accounts:export_download": Url(
        "export",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=404, mentor_b=404, staff=404, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # Accepting the current version of the privacy notice (or the charter): back to the personal area.
    "accounts:accept": Url(
        None,
        get=POST_ONLY,
        post=everyone(302, anonymous=LOGIN),
        body=lambda world: {"document": "privacy"},
        actor="student_a",
    ),
    # The privacy notice and the charter: public (linked from sign-up and the footer); GET only.
    "accounts:privacy": Url(
        None,
        get=everyone(200),
        post=everyone(405),
    ),
    "accounts:charter": Url(
        None,
        get=everyone(200),
        post=everyone(405),
    ),
    # The language switch, open to everyone (a signed-in person's account keeps the choice); it
    # goes back to the page it came from (302). Only a POST changes it.
    "accounts:set_language": Url(
        None,
        get=everyone(405),
        post=everyone(302),
        body=lambda world: {"language": "fr", "next": "/me/"},
        actor="student_a",
    ),
    # --- roadbook -------------------------------------------------------------------------------
    # The student saves the draft (302); the mentor and staff only read it: their POST is a 405.
    "roadbook:edit": Url(
        "new_mentorship",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=405, mentor_b=404, staff=405, staff_outside=404
        ),
        body=lambda world: {**world.objects["new_mentorship"].roadbook.snapshot(), "save": "1"},
        actor="student_a",
    ),
    "roadbook:pdf": Url(
        "mentorship",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    "roadbook:cv": Url(
        "mentorship",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # --- evaluations: interviews ----------------------------------------------------------------
    # The student proposes the first interview (302 to it). The mentor and staff have nothing to
    # propose: a GET goes back to the mentorship with the reason (302), a POST shows the form
    # again with it (200).
    "evaluations:propose": Url(
        "new_mentorship",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        body=lambda world: {
            "slot_1": _local(10),
            "duration_minutes": "60",
            "mode": "video",
            "link": "https://meet.example.org/a",
        },
        actor="student_a",
    ),
    "evaluations:interview": Url(
        "held_interview",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # The follow-up the mentor proposed: the student confirms (302); the mentor and staff are
    # refused by the rule (302 back to the interview).
    "evaluations:confirm": Url(
        "follow_up",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        body=lambda world: {"slot": str(world.objects["follow_up"].slots.get().pk)},
        actor="student_a",
    ),
    # Either side proposes other dates (302); staff do not schedule: the form comes back (200).
    "evaluations:propose_other": Url(
        "follow_up",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=200, staff_outside=404
        ),
        body=lambda world: {"slot_1": _local(12), "reason": "A clash on the 7th."},
        actor="student_a",
    ),
    # Either side cancels (302); staff are refused by the rule (302 back with the reason).
    "evaluations:cancel": Url(
        "follow_up",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        body=lambda world: {"reason": "I have found a job."},
        actor="mentor_a",
    ),
    # Keeping the date only concerns a confirmed first interview after a late road-book: every
    # party is refused by the rule here (302 back with the reason).
    "evaluations:keep_date": Url(
        "follow_up",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        actor="mentor_a",
    ),
    # Marking a no-show concerns a confirmed interview that has started: the held interview here is
    # refused by the rule for every party (302 back with the reason).
    "evaluations:no_show": Url(
        "held_interview",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        actor="mentor_a",
    ),
    # The empty form of an interview still to come, to take notes on: its mentor and staff.
    "evaluations:blank_form_pdf": Url(
        "follow_up",
        get=by_role(
            anonymous=LOGIN, student_a=404, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    "evaluations:invite_ics": Url(
        "held_interview",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # --- evaluations: the form and its PDF ------------------------------------------------------
    # A completed form: the student reads its shared part, the mentor and staff all of it. It no
    # longer changes: a POST shows it again (200).
    "evaluations:evaluation": Url(
        "held_interview",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        body=lambda world: {"feedback_project": "Changed?", "save": "1"},
        actor="mentor_a",
    ),
    "evaluations:evaluation_pdf": Url(
        "held_interview",
        get=by_role(
            anonymous=LOGIN, student_a=200, student_b=404, mentor_a=200, mentor_b=404, staff=200, staff_outside=404
        ),
        post=READ_ONLY,
    ),
    # --- evaluations: coaching ------------------------------------------------------------------
    # The mentor recommends (302 to the mentorship's coaching section); the student and staff are
    # refused by the rule (302 there too, with the reason).
    "evaluations:recommend_coaching": Url(
        "new_mentorship",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        body=lambda world: {"coaching-reason": "Interview practice would help."},
        actor="mentor_a",
    ),
    # The student asks for the recommended session (302); the mentor and staff are refused (302).
    "evaluations:request_coaching": Url(
        "referral",
        get=POST_ONLY,
        post=by_role(
            anonymous=LOGIN, student_a=302, student_b=404, mentor_a=302, mentor_b=404, staff=302, staff_outside=404
        ),
        actor="student_a",
    ),
}


# --- Personal data is never kept by a browser or proxy cache ----------------------------------------

# Every URL says whether its pages show personal data. A confidential page answers a signed-in
# person with ``Cache-Control: no-store`` (never_cache's private, no-cache, no-store, max-age=0),
# so that a shared computer's back button or a proxy never shows it to the next person. A new URL
# in EXPECTED that is in neither set fails ``test_every_url_says_whether_it_is_confidential``.
CONFIDENTIAL = {
    "mentoring:me",
    "mentoring:staff",
    "mentoring:staff_export",
    "mentoring:mentor_apply",
    "mentoring:mentor_withdraw",
    "mentoring:directory",
    "mentoring:mentor_detail",
    "mentoring:choose_mentor",
    "mentoring:hide_suggestion",
    "mentoring:restore_suggestions",
    "mentoring:mentorship",
    "mentoring:mentorship_accept",
    "mentoring:mentorship_decline",
    "mentoring:mentorship_withdraw",
    "mentoring:mentorship_message",
    "accounts:profile",
    "accounts:erase",
    "accounts:accept",
    "accounts:export",
    "accounts:export_download",
    "roadbook:edit",
    "roadbook:pdf",
    "roadbook:cv",
    "evaluations:propose",
    "evaluations:interview",
    "evaluations:confirm",
    "evaluations:propose_other",
    "evaluations:cancel",
    "evaluations:keep_date",
    "evaluations:no_show",
    "evaluations:invite_ics",
    "evaluations:evaluation",
    "evaluations:evaluation_pdf",
    "evaluations:blank_form_pdf",
    "evaluations:recommend_coaching",
    "evaluations:request_coaching",
}
# The landing page (signed-in people are sent on) and the load balancers' health check.
NOT_CONFIDENTIAL = {
    "mentoring:landing",
    "accounts:privacy",
    "accounts:charter",
    "mentoring:healthz",
    "accounts:set_language",
}


def test_every_url_says_whether_it_is_confidential():
    assert {
        "in neither CONFIDENTIAL nor NOT_CONFIDENTIAL": sorted(EXPECTED.keys() - CONFIDENTIAL - NOT_CONFIDENTIAL),
        "in both": sorted(CONFIDENTIAL & NOT_CONFIDENTIAL),
        "for no row of EXPECTED": sorted((CONFIDENTIAL | NOT_CONFIDENTIAL) - EXPECTED.keys()),
    } == {"in neither CONFIDENTIAL nor NOT_CONFIDENTIAL": [], "in both": [], "for no row of EXPECTED": []}


@pytest.fixture(autouse=True)
def _no_broker(settings):
    # The health check asks the broker only where one is set; the matrix is about access.
    settings.REDIS_URL = ""


def _path(world, name):
    obj = EXPECTED[name].obj
    return reverse(name, args=[world.objects[obj].pk] if obj else [])


def _request(client, world, name, method):
    path = _path(world, name)
    if method == "GET":
        return client.get(path)
    body = EXPECTED[name].body
    return client.post(path, body(world) if body else {})


CELLS = [
    (name, role, method)
    for name, url in EXPECTED.items()
    for method, statuses in (("GET", url.get), ("POST", url.post))
    if statuses is not None
    for role in ROLES
]


@pytest.mark.parametrize(("name", "role", "method"), CELLS, ids=[f"{n}-{r}-{m}" for n, r, m in CELLS])
def test_each_person_gets_the_expected_status(client, name, role, method):
    world = build_world(EXPECTED[name].obj)
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    response = _request(client, world, name, method)
    response.close()
    expected = getattr(EXPECTED[name], method.lower())[role]
    login = reverse("account_login")
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    else:
        assert response.status_code == expected
        if expected == 302:
            # A signed-in person is never sent to sign in again.
            assert not response["Location"].startswith(login)
    if expected == 200 and person is not None and name in CONFIDENTIAL:
        assert "no-store" in response.get("Cache-Control", ""), f"{name} shows personal data: it must not be cached"


# --- Every URL pattern has a row -----------------------------------------------------------------


def _walk(patterns, route="", namespace=""):
    """(route, fully qualified name) of every pattern below ``patterns``, the excluded includes apart."""
    for pattern in patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route and here in EXCLUDED_INCLUDES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, here, inner)
        else:
            yield here, f"{namespace}{pattern.name}" if pattern.name else f"<unnamed: {here}>"


def test_every_url_pattern_has_a_row():
    walked = {name for _route, name in _walk(get_resolver().url_patterns)}
    assert {
        "URL patterns without a row in EXPECTED": sorted(walked - EXPECTED.keys()),
        "rows in EXPECTED for no URL pattern": sorted(EXPECTED.keys() - walked),
    } == {"URL patterns without a row in EXPECTED": [], "rows in EXPECTED for no URL pattern": []}


def test_only_third_party_includes_are_left_out():
    top = {str(p.pattern): p for p in get_resolver().url_patterns if isinstance(p, URLResolver)}
    assert EXCLUDED_INCLUDES.keys() <= top.keys(), "an excluded include is gone: drop it from EXCLUDED_INCLUDES"
    assert top["admin/"].app_name == "admin"
    assert top["accounts/"].urlconf_module.__name__ == "allauth.urls"


def test_every_row_names_a_known_object_and_all_seven_people():
    for name, url in EXPECTED.items():
        assert url.obj in STAGES, name
        for statuses in (url.get, url.post):
            assert statuses is None or statuses.keys() == set(ROLES), name
            assert statuses is None or None not in statuses.values(), f"{name}: say what staff_outside gets"
        # A POST that reaches a view is posted without a CSRF token too, by the person it is for.
        takes_post = url.post is not None and url.post["student_a"] != 405
        assert (url.actor is not None) == takes_post, name


# --- POSTs without a CSRF token are refused ----------------------------------------------------


def _everything():
    """Every row of the project's own tables, m2m links included."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for label in ("core", "accounts", "mentoring", "roadbook", "evaluations")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


POSTS = [name for name, url in EXPECTED.items() if url.actor]


@pytest.mark.parametrize("name", POSTS)
def test_a_post_without_csrf_token_is_refused_and_changes_nothing(name):
    url = EXPECTED[name]
    world = build_world(url.obj)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people[url.actor])
    before = _everything()
    response = _request(client, world, name, "POST")
    assert response.status_code == 403
    assert _everything() == before
