"""The dashboard's tables as CSV and XLSX files, and the admin lists' exports: the files parse and
hold the expected rows; only staff get them."""

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify
from openpyxl import load_workbook

from accounts.factories import AlumnusFactory, StudentFactory
from evaluations.models import CoachingReferral, Evaluation
from mentoring.factories import CampaignFactory, EnrollmentFactory, MentorshipFactory
from mentoring.models import Mentorship
from tests.dashboard_campaign import EXPECTED, NOW, build_known_campaign, days, make_campaign

pytestmark = pytest.mark.django_db

EXPORT = reverse("mentoring:staff_export")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # spreadsheet programs read the accents right
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def get(client, report, fmt, **params):
    response = client.get(EXPORT, {"report": report, "format": fmt, **params})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return response


# --- The dashboard's numbers ----------------------------------------------------------------------

HEADERS = ["Campaign", "Group", "Figure", "Number", "Out of", "Rate (%)"]


def expected_figures(campaign_name):
    rows = []
    for group, figures in EXPECTED.items():
        for label, value, base, _percent in figures:
            rate = round(100 * value / base, 1) if base else None
            rows.append([campaign_name, group, label, value, base, rate])
    return rows


def test_the_numbers_as_csv(staff_client):
    campaign, _students, _mentorships = build_known_campaign()
    response = get(staff_client, "figures", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="figures-{slugify(campaign.name)}-2027-03-01.csv"'
    rows = csv_rows(response)
    assert rows[0] == HEADERS
    as_text = [["" if v is None else str(v) for v in row] for row in expected_figures(campaign.name)]
    assert rows[1:] == as_text
    assert [campaign.name, "Mentors", "With mentees", "2", "3", "66.7"] in rows


def test_the_numbers_as_xlsx(staff_client):
    campaign, _students, _mentorships = build_known_campaign()
    rows = xlsx_rows(get(staff_client, "figures", "xlsx"))
    assert rows[0] == HEADERS
    assert rows[1:] == expected_figures(campaign.name)


def test_in_the_staff_members_language(staff_client, staff_user):
    build_known_campaign()
    staff_user.language = "fr"
    staff_user.save()
    rows = csv_rows(staff_client.get(EXPORT, {"report": "mentorships"}, HTTP_ACCEPT_LANGUAGE="fr"))
    assert rows[0][:3] == ["Numéro", "Campagne", "Étudiant(e)"]
    assert rows[0][7] == "Demandé le"


def test_the_default_is_the_current_campaigns_numbers_as_csv(staff_client):
    campaign, _students, _mentorships = build_known_campaign()
    rows = csv_rows(staff_client.get(EXPORT))
    assert rows[0] == HEADERS and rows[1][0] == campaign.name


# --- Mentorships with their key dates -----------------------------------------------------------

MENTORSHIP_HEADERS = [
    "Number",
    "Campaign",
    "Student",
    "Student's email",
    "Mentor",
    "Mentor's email",
    "Status",
    "Requested",
    "Answered",
    "Closed",
    "Road-book due",
    "Road-book sent",
    "Road-book late",
    "First interview",
    "First interview status",
    "Follow-up interviews held",
    "Outcome",
]


def local(n):
    """``days(n)`` as the files write it: the school's wall clock, without a time zone."""
    return days(n).replace(tzinfo=None)


def test_mentorships_as_csv_with_every_steps_columns(staff_client):
    campaign, _students, mentorships = build_known_campaign()
    rows = csv_rows(get(staff_client, "mentorships", "csv"))
    assert rows[0] == MENTORSHIP_HEADERS
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_number) == 7
    closed = mentorships[2]
    assert by_number[str(closed.pk)] == {
        "Number": str(closed.pk),
        "Campaign": campaign.name,
        "Student": closed.student.get_full_name(),
        "Student's email": closed.student.email,
        "Mentor": closed.mentor.get_full_name(),
        "Mentor's email": closed.mentor.email,
        "Status": "Closed",
        "Requested": "2026-12-06 10:00",
        "Answered": "",
        "Closed": "",
        "Road-book due": "2026-12-18 10:00",
        "Road-book sent": "2026-12-19 10:00",
        "Road-book late": "yes",
        "First interview": "2026-12-21 10:00",
        "First interview status": "Held",
        "Follow-up interviews held": "1",
        "Outcome": "Found a job",
    }
    tomorrow = by_number[str(mentorships[3].pk)]
    assert (tomorrow["Road-book sent"], tomorrow["Road-book late"]) == ("", "")
    assert (tomorrow["First interview"], tomorrow["First interview status"]) == ("2027-03-02 10:00", "Confirmed")
    on_time = by_number[str(mentorships[1].pk)]
    assert (on_time["Road-book late"], on_time["Follow-up interviews held"], on_time["Outcome"]) == ("no", "1", "")
    request = by_number[str(mentorships[4].pk)]
    assert request["Status"] == "Requested" and request["Road-book due"] == request["First interview"] == ""


def test_mentorships_as_xlsx_are_typed(staff_client):
    _campaign, _students, mentorships = build_known_campaign()
    rows = xlsx_rows(get(staff_client, "mentorships", "xlsx"))
    assert rows[0] == MENTORSHIP_HEADERS
    by_number = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    closed = by_number[mentorships[2].pk]
    assert closed["Requested"] == local(-85)
    assert closed["Road-book sent"] == local(-72)
    assert closed["Road-book late"] is True
    assert closed["First interview"] == local(-70)
    assert closed["Follow-up interviews held"] == 1
    assert isinstance(closed["Requested"], datetime)


def test_text_that_would_run_as_a_formula_is_written_as_text(staff_client):
    make_campaign()
    student = StudentFactory(first_name='=HYPERLINK("https://evil.example","x")', last_name="Doe")
    MentorshipFactory(student=student, enrollment=EnrollmentFactory())
    row = csv_rows(get(staff_client, "mentorships", "csv"))[1]
    assert row[2] == '\'=HYPERLINK("https://evil.example","x") Doe'
    workbook = load_workbook(io.BytesIO(get(staff_client, "mentorships", "xlsx").content))
    cell = workbook.active["C2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


# --- Outcomes -----------------------------------------------------------------------------------

OUTCOME_HEADERS = [
    "Campaign",
    "Student",
    "Student's email",
    "Programme",
    "Mentor",
    "Outcome",
    "Sector",
    "Role",
    "Since",
    "Form completed",
]


def test_outcomes_per_student(staff_client):
    campaign, students, mentorships = build_known_campaign()
    closed = mentorships[2]
    expected = [
        campaign.name,
        students[2].get_full_name(),
        students[2].email,
        "General engineering",
        closed.mentor.get_full_name(),
        "Found a job",
        "Energy",
        "Data analyst",
    ]
    assert csv_rows(get(staff_client, "outcomes", "csv")) == [OUTCOME_HEADERS, [*expected, "", "2027-01-30 10:00"]]
    assert xlsx_rows(get(staff_client, "outcomes", "xlsx")) == [OUTCOME_HEADERS, [*expected, None, local(-30)]]


def test_the_picker_chooses_the_campaign(staff_client):
    build_known_campaign()
    earlier = CampaignFactory(
        name="Earlier",
        is_current=False,
        recruitment_opens=days(-500),
        recruitment_closes=days(-470),
        matching_opens=days(-470),
        campaign_ends=days(-300),
    )
    old = MentorshipFactory(enrollment=EnrollmentFactory(campaign=earlier), requested_at=days(-400))
    rows = csv_rows(get(staff_client, "mentorships", "csv", campaign=earlier.pk))
    assert [row[0] for row in rows[1:]] == [str(old.pk)]
    assert csv_rows(get(staff_client, "outcomes", "csv", campaign=earlier.pk)) == [OUTCOME_HEADERS]


# --- Who may download -----------------------------------------------------------------------------


def test_only_staff_download(client):
    make_campaign()
    assert client.get(EXPORT)["Location"].startswith(reverse("account_login"))
    for user in (StudentFactory(), AlumnusFactory()):
        client.force_login(user)
        for report in ("figures", "mentorships", "outcomes"):
            for fmt in ("csv", "xlsx"):
                assert client.get(EXPORT, {"report": report, "format": fmt}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [{"report": "everything"}, {"format": "pdf"}, {"campaign": "999999"}, {"campaign": "x"}],
    ids=["unknown table", "unknown format", "unknown campaign", "not a campaign"],
)
def test_what_does_not_exist_is_a_404(staff_client, params):
    make_campaign()
    assert staff_client.get(EXPORT, params).status_code == 404


def test_without_any_campaign_there_is_nothing_to_download(staff_client):
    assert staff_client.get(EXPORT).status_code == 404


def test_the_links_on_the_dashboard(staff_client):
    campaign = make_campaign()
    content = staff_client.get(reverse("mentoring:staff")).content.decode()
    for report in ("figures", "mentorships", "outcomes"):
        for fmt in ("csv", "xlsx"):
            assert f'href="{EXPORT}?report={report}&amp;format={fmt}&amp;campaign={campaign.pk}"' in content


def test_the_mentorships_export_takes_a_fixed_number_of_queries(staff_client):
    campaign = make_campaign()

    def count(n):
        for _ in range(n):
            MentorshipFactory.accepted(enrollment=EnrollmentFactory(campaign=campaign))
        with CaptureQueriesContext(connection) as queries:
            get(staff_client, "mentorships", "csv")
        return len(queries)

    get(staff_client, "mentorships", "csv")  # the session's first request records the activity
    assert count(2) == count(4)


# --- The admin lists ------------------------------------------------------------------------------


def admin_export(client, model, resource, fields):
    """The admin's export of ``model`` as CSV (the first format), every column ticked."""
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    url = reverse(f"{name}_export")
    assert f'href="{url}' in client.get(reverse(f"{name}_changelist")).content.decode()
    assert client.get(url).status_code == 200
    data = {"format": "0", "resource": "0", **{f"{resource}_{name}": "on" for name in fields}}
    response = client.post(url, data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return csv_rows(response)


def test_the_mentorships_admin_list_exports_every_steps_columns(staff_client):
    _campaign, _students, mentorships = build_known_campaign()
    from mentoring.exports import MentorshipResource

    fields = list(MentorshipResource().fields)
    rows = admin_export(staff_client, Mentorship, "mentorshipresource", fields)
    assert rows[0] == MENTORSHIP_HEADERS
    closed = next(row for row in rows if row[0] == str(mentorships[2].pk))
    assert closed[-5:] == ["yes", "2026-12-21 10:00", "Held", "1", "Found a job"]


def test_the_evaluation_and_coaching_admin_lists_export(staff_client):
    build_known_campaign()
    from evaluations.exports import CoachingResource, EvaluationResource

    rows = admin_export(staff_client, Evaluation, "evaluationresource", list(EvaluationResource().fields))
    assert len(rows) == 1 + Evaluation.objects.count()
    final = next(row for row in rows if row[7] == "Final evaluation")
    assert final[8:] == ["Completed", "2027-01-30 10:00", "Found a job", "Energy", "Data analyst", ""]
    rows = admin_export(staff_client, CoachingReferral, "coachingresource", list(CoachingResource().fields))
    assert sorted(row[4] for row in rows[1:]) == ["Declined", "Done", "Recommended by the mentor"]
