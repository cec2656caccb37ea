"""Admin filter titles read naturally after Django's "By" ("By meets in person", not "By in person"),
and each titled filter still filters."""

import re

import pytest

from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "/admin/mentoring/mentorenrollment/": [
        "By meets in person",
        "By meets by video call",
        "By meets by phone",
        "By sector",
    ],
    "/admin/mentoring/participation/": ["By how they joined"],
    "/admin/evaluations/interview/": ["By way of meeting"],
    "/admin/evaluations/evaluation/": ["By kind of form"],
    "/admin/evaluations/coachingreferral/": ["By date of the recommendation"],
    "/admin/roadbook/roadbook/": ["By lateness"],
    "/admin/accounts/user/": ["By account status"],
}
AWKWARD = [
    "By in person",
    "By video call",
    "By phone",
    "By sectors and functions",
    "By joined by",
    "By how<",
    "By form<",
]


def titles(content):
    return [" ".join(t.split()) for t in re.findall(r"<summary[^>]*>\s*(.*?)\s*</summary>", content, re.S)]


def test_filter_titles_read_naturally_and_still_filter(admin_client):
    CampaignFactory.in_matching()
    EnrollmentFactory(offers_in_person=True)
    MentorshipFactory.accepted()
    for url, wanted in EXPECTED.items():
        content = admin_client.get(url).content.decode()
        shown = titles(content)
        assert set(wanted) <= set(shown), (url, shown)
        assert not [title for title in shown for awkward in AWKWARD if (title + "<").startswith(awkward)], shown
    in_person = admin_client.get("/admin/mentoring/mentorenrollment/?offers_in_person__exact=1")
    assert in_person.status_code == 200 and "1 mentor enrolment" in in_person.content.decode()
