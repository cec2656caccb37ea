"""Forms say what they need before they refuse: what sending or completing needs is marked when
the form opens, empty optional rows are not, and the CV's limit is said."""

import re

import pytest
from django.urls import reverse

from evaluations.factories import InterviewFactory
from evaluations.models import REQUIRED_FIELDS, Evaluation, RecommendedContact
from mentoring.factories import CampaignFactory, MentorshipFactory
from roadbook.models import REQUIRED_SECTIONS

pytestmark = pytest.mark.django_db


def marked(content):
    """The names of the fields whose label carries the star (crispy's blocks, div_id_<name>)."""
    blocks = re.split(r'(?=<div id="div_id_)', content)
    return {
        re.match(r'<div id="div_id_([\w-]+)"', block)[1]
        for block in blocks
        if block.startswith('<div id="div_id_') and "asteriskField" in block.split("</label>")[0].split("</legend>")[0]
    }


def test_the_road_book_marks_what_sending_needs_and_says_the_cv_limit(client, settings):
    settings.ROADBOOK_CV_MAX_BYTES = 5 * 1024 * 1024
    CampaignFactory.in_matching()
    mentorship = MentorshipFactory.accepted()
    client.force_login(mentorship.student)
    content = client.get(reverse("roadbook:edit", args=[mentorship.pk])).content.decode()
    assert "Fields marked * are needed to send the road-book" in content
    assert marked(content) == {*REQUIRED_SECTIONS, "cv"}
    assert "Needed to send. A PDF of at most 5.0\xa0MB." in content
    # Marked, not required: a draft still saves with every section empty.
    assert (
        'required id="id_cv"' not in content and "required" not in re.search(r'<input[^>]*id="id_cv"[^>]*>', content)[0]
    )


@pytest.fixture
def interview():
    return InterviewFactory.started()


def test_the_first_evaluation_marks_what_completing_needs(client, interview):
    client.force_login(interview.mentorship.mentor)
    content = client.get(reverse("evaluations:evaluation", args=[interview.pk])).content.decode()
    assert "Fields marked * are needed to complete the form" in content
    assert content.count('class="asteriskField"') == len(REQUIRED_FIELDS[Evaluation.Kind.FIRST])
    assert marked(content) == set(REQUIRED_FIELDS[Evaluation.Kind.FIRST])


@pytest.fixture
def follow_up(interview):
    return InterviewFactory.started_follow_up(interview.mentorship)


def test_empty_contact_rows_are_not_marked_required(client, follow_up):
    client.force_login(follow_up.mentorship.mentor)
    content = client.get(reverse("evaluations:evaluation", args=[follow_up.pk])).content.decode()
    contact_inputs = re.findall(r'<input[^>]*name="contacts-\d-name"[^>]*>', content)
    assert len(contact_inputs) == 2
    assert not any("required" in tag for tag in contact_inputs)
    assert not {name for name in marked(content) if name.startswith("contacts-")}
    assert content.count('class="asteriskField"') == len(REQUIRED_FIELDS[Evaluation.Kind.FOLLOW_UP])


def test_a_contact_row_without_a_name_is_refused_and_nothing_is_lost(client, follow_up):
    client.force_login(follow_up.mentorship.mentor)
    response = client.post(
        reverse("evaluations:evaluation", args=[follow_up.pk]),
        {
            "progress": "Two interviews.",
            "contacts-TOTAL_FORMS": "2",
            "contacts-INITIAL_FORMS": "0",
            "contacts-0-name": "",
            "contacts-0-organisation": "Enedis",
            "contacts-0-why": "Runs the data team.",
            "save": "1",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the contact&#x27;s name, or empty the row." in content
    assert "Runs the data team." in content and "Two interviews." in content
    assert not RecommendedContact.objects.exists()
