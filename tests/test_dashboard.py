"""The staff dashboard: every number and rate of a campaign built with known counts, the lists of
who needs attention, the campaign picker, and a query count that does not grow with the campaign."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import AlumnusFactory, StudentFactory
from evaluations.factories import InterviewFactory
from evaluations.models import CoachingReferral, Interview
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from roadbook.factories import RoadbookFactory
from tests.dashboard_campaign import (
    EXPECTED,
    NOW,
    build_known_campaign,
    days,
    held,
    make_campaign,
    referral,
    roster_student,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("mentoring:staff")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def figures(response):
    """{group title: [(label, value, base, percent)]} as the page's charts hold them."""
    return {
        str(chart.group.title): [
            (str(row.figure.label), row.figure.value, row.figure.base, row.percent) for row in chart.rows
        ]
        for chart in response.context["charts"]
    }


def test_every_number_and_rate_of_a_known_campaign(client, staff_user):
    build_known_campaign()
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert figures(response) == EXPECTED


def test_the_charts_are_drawn_in_svg_with_their_numbers_as_text(client, staff_user):
    build_known_campaign()
    client.force_login(staff_user)
    content = client.get(DASHBOARD).content.decode()
    assert content.count("<svg") == len(EXPECTED)
    assert 'role="img" aria-labelledby="chart-1-title chart-1-desc"' in content
    # The text alternative says each number, and the table gives them again.
    assert "Applied: 6; Approved: 3 / 6 (50%); With mentees: 2 / 3 (67%); Full: 1 / 3 (33%)</desc>" in content
    assert '<th scope="row" class="fw-normal">Sent late</th>' in content
    # Bars are drawn to the group's scale: 3 of 6 approved mentors is half the longest bar.
    assert 'width="35.00%"' in content and 'width="70.00%"' in content
    assert "<script" not in content.split("</main>")[0]


def test_in_french_with_lengths_that_are_not_localised(client, staff_user):
    build_known_campaign()
    staff_user.language = "fr"
    staff_user.save()
    client.force_login(staff_user)
    content = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'width="35.00%"' in content
    assert 'width="35,00%"' not in content
    assert "La campagne en chiffres" in content
    assert "Acceptés\xa0: 3 / 6 (50 %)" in content


def attention(response):
    """{list title: (total, [link texts], [links])}: this app's lists and the panels' alike."""
    lists = {}
    for context in response.context:
        flat = context.flatten()
        for entry in [*flat.get("attention", []), *flat.get("lists", []), flat.get("list")]:
            if entry:
                items = entry["items"]
                lists[str(entry["title"])] = (entry["total"], [i.text for i in items], [i.url for i in items])
    return lists


def test_who_needs_attention_with_a_link_each(client, staff_user):
    _campaign, s, mentorships = build_known_campaign()
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    lists = attention(response)
    pair = lambda m: f"{m.student.get_full_name()} → {m.mentor.get_full_name()}"  # noqa: E731
    assert lists["Students without a mentor or a request"] == (
        3,
        [s[i].get_full_name() for i in (6, 7, 9)],
        [reverse("admin:accounts_user_change", args=[s[i].pk]) for i in (6, 7, 9)],
    )
    # Three days is the campaign's reminder delay: yesterday's request is not late yet.
    assert lists["Requests unanswered for 3 days or more"] == (
        1,
        [pair(mentorships[4])],
        [mentorships[4].get_absolute_url()],
    )
    assert lists["Road-books overdue"] == (1, [pair(mentorships[3])], [mentorships[3].get_absolute_url()])
    assert lists["Evaluation forms overdue"] == (1, [pair(mentorships[1])], [mentorships[1].get_absolute_url()])
    assert lists["Mentorships with no follow-up"] == (1, [pair(mentorships[8])], [mentorships[8].get_absolute_url()])
    content = response.content.decode()
    for url in [mentorships[i].get_absolute_url() for i in (1, 3, 4, 8)]:
        assert f'href="{url}"' in content


def test_a_long_list_shows_its_first_rows_and_says_how_many_more(client, staff_user):
    campaign = make_campaign()
    for i in range(23):
        roster_student(campaign, last_name=f"Late{i:02d}")
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    total, names, _urls = attention(response)["Students without a mentor or a request"]
    assert total == 23 and len(names) == 20
    assert "and 3 more" in response.content.decode()


def test_the_picker_shows_another_campaign(client, staff_user):
    build_known_campaign()
    earlier = CampaignFactory(
        name="Earlier",
        is_current=False,
        recruitment_opens=days(-500),
        recruitment_closes=days(-470),
        matching_opens=days(-470),
        campaign_ends=days(-300),
    )
    MentorshipFactory(enrollment=EnrollmentFactory(campaign=earlier), requested_at=days(-400))
    client.force_login(staff_user)
    response = client.get(DASHBOARD, {"campaign": earlier.pk})
    assert response.context["campaign"] == earlier
    numbers = figures(response)
    assert numbers["Mentors"][0] == ("Applied", 1, None, None)
    assert numbers["Mentorships by status"][0] == ("Requested", 1, 1, 100)
    content = response.content.decode()
    assert f'<option value="{earlier.pk}" selected>Earlier</option>' in content
    assert f"campaign={earlier.pk}" in content  # the downloads follow the picker


def test_an_unknown_campaign_is_a_404(client, staff_user):
    make_campaign()
    client.force_login(staff_user)
    assert client.get(DASHBOARD, {"campaign": "999999"}).status_code == 404
    assert client.get(DASHBOARD, {"campaign": "x"}).status_code == 404


def test_without_any_campaign_the_page_says_so(client, staff_user):
    client.force_login(staff_user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "No current campaign." in response.content.decode()


def test_only_staff_open_it(client):
    make_campaign()
    assert client.get(DASHBOARD)["Location"].startswith(reverse("account_login"))
    for user in (StudentFactory(), AlumnusFactory()):
        client.force_login(user)
        assert client.get(DASHBOARD).status_code == 404


# --- The query count ------------------------------------------------------------------------


def a_mentorship_under_way(campaign, i):
    """A mentor with a mentee at every stage the dashboard counts or lists."""
    enrollment = EnrollmentFactory(campaign=campaign, capacity=2)
    mentorship = MentorshipFactory.accepted(enrollment=enrollment, requested_at=days(-80))
    held(mentorship, days(-60))
    RoadbookFactory(mentorship=mentorship, status="submitted", submitted_at=days(-59 + i % 2 * 5))
    InterviewFactory.confirmed(mentorship=mentorship, start=days(-5), kind=Interview.Kind.FOLLOW_UP)
    referral(mentorship, CoachingReferral.Status.REQUESTED, requested_at=days(-50))
    late = MentorshipFactory.accepted(enrollment=enrollment, requested_at=days(-40))
    InterviewFactory.confirmed(mentorship=late, start=days(1))
    MentorshipFactory(enrollment=enrollment, requested_at=days(-10))
    roster_student(campaign)


def count_queries(client, campaign, mentors):
    for i in range(mentors):
        a_mentorship_under_way(campaign, i)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_campaign(client, staff_user):
    campaign = make_campaign()
    client.force_login(staff_user)
    client.get(DASHBOARD)  # the session's first request records the staff member's activity
    few = count_queries(client, campaign, 3)
    many = count_queries(client, campaign, 6)  # nine in all
    assert few == many
