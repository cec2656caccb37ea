"""Staff import students and alumni from CSV and XLSX in the admin (django-import-export)."""

import io

import pytest
import tablib
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.factories import StudentFactory
from accounts.imports import PersonResource
from accounts.models import User
from mentoring.factories import CampaignFactory
from mentoring.models import Participation

pytestmark = pytest.mark.django_db

HEADERS = ["email", "first_name", "last_name", "role", "programme", "graduation_year", "sector"]
GOOD = [
    ["ada.lovelace@students.school.test", "Ada", "Lovelace", "student", "Computing", "2027", ""],
    ["Alan.Turing@students.school.test", "Alan", "Turing", "étudiant", "", "", ""],
    ["grace@alumni.example.com", "Grace", "Hopper", "alumnus", "Computing", "1934", "Energy"],
]


def dataset(rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def csv_file(rows):
    return io.BytesIO(dataset(rows).export("csv").encode())


def run(rows, dry_run=False):
    return PersonResource().import_data(dataset(rows), dry_run=dry_run, rollback_on_validation_errors=True)


def test_a_good_file_creates_the_people_invites_them_and_fills_the_roster(on_commit):
    campaign = CampaignFactory.in_recruitment()
    with on_commit():
        result = run(GOOD)
    assert not result.has_errors() and not result.has_validation_errors()
    ada = User.objects.get(email="ada.lovelace@students.school.test")
    alan = User.objects.get(email="alan.turing@students.school.test")  # addresses are lowercased
    grace = User.objects.get(email="grace@alumni.example.com")
    assert (ada.role, alan.role, grace.role) == ("student", "student", "alumnus")
    assert not ada.has_usable_password()  # they choose it from the invitation
    assert ada.student_profile.graduation_year == 2027 and grace.alumnus_profile.sector.name == "Energy"
    assert EmailAddress.objects.filter(user=ada, verified=True, primary=True).exists()
    invitations = [m for m in mail.outbox if "Your account" in m.subject]
    assert sorted(m.to[0] for m in invitations) == sorted([ada.email, alan.email, grace.email])
    assert "/accounts/password/reset/key/" in invitations[0].body
    assert set(Participation.objects.filter(campaign=campaign).values_list("student__email", flat=True)) == {
        ada.email,
        alan.email,
    }
    assert [m.to for m in mail.outbox if "Mentor a final-year student" in m.subject] == [[grace.email]]


def test_the_invitation_link_lets_them_choose_a_password(client, on_commit):
    CampaignFactory.in_matching()
    with on_commit():
        run(GOOD[:1])
    [invitation] = mail.outbox
    link = next(word for word in invitation.body.split() if "/accounts/password/reset/key/" in word)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "a-Strong-pass-2027", "password2": "a-Strong-pass-2027"})
    assert response.status_code == 302
    assert client.login(email="ada.lovelace@students.school.test", password="a-Strong-pass-2027")


def test_the_same_file_twice_creates_no_one_twice_and_sends_nothing_twice(on_commit):
    CampaignFactory.in_recruitment()
    with on_commit():
        run(GOOD)
    users, mails = User.objects.count(), len(mail.outbox)
    with on_commit():
        result = run(GOOD)
    assert not result.has_validation_errors()
    assert User.objects.count() == users and len(mail.outbox) == mails
    assert Participation.objects.count() == 2


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["not-an-address", "A", "B", "student", "", "", ""], "email", "Enter a valid email address."),
        (["ann@gmail.com", "Ann", "B", "student", "", "", ""], "email", "must be in the school's domain"),
        (["bob@alumni.example.com", "Bob", "C", "alumnus", "", "", "Knitting"], "sector", "Unknown sector “Knitting”"),
        (["carl@students.school.test", "Carl", "D", "teacher", "", "", ""], "role", "“student” or “alumnus”"),
        (["dee@students.school.test", "Dee", "E", "student", "", "soon", ""], "graduation_year", "is not a year"),
    ],
)
def test_a_refused_row_says_why_and_the_file_writes_nothing(on_commit, row, field, message):
    CampaignFactory.in_matching()
    with on_commit():
        result = run([*GOOD, row])
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert any(message in error for error in invalid.field_specific_errors[field]), invalid.field_specific_errors
    assert User.objects.count() == 0 and Participation.objects.count() == 0 and mail.outbox == []


def test_a_known_student_stays_as_they_are_and_joins_the_roster():
    campaign = CampaignFactory.in_matching()
    known = StudentFactory(email="ada.lovelace@students.school.test", first_name="Ada")
    result = run([["ada.lovelace@students.school.test", "Adeline", "Lovelace", "student", "", "", ""]])
    assert not result.has_validation_errors()
    known.refresh_from_db()
    assert known.first_name == "Ada"
    assert Participation.objects.filter(campaign=campaign, student=known).exists()
    assert mail.outbox == []


class TestAdmin:
    def test_staff_preview_a_csv_with_a_refused_row_and_nothing_is_written(self, client, staff_user):
        CampaignFactory.in_matching()
        client.force_login(staff_user)
        upload = csv_file([*GOOD, ["ann@gmail.com", "Ann", "B", "student", "", "", ""]])
        upload.name = "people.csv"
        response = client.post(
            reverse("admin:accounts_user_import"), {"resource": "0", "format": "0", "import_file": upload}
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "must be in the school" in content
        assert 'name="confirm"' not in content.lower() and "Confirm import" not in content
        assert not User.objects.filter(email__endswith="school.test").exclude(pk=staff_user.pk).exists()

    def test_staff_import_an_xlsx_after_its_preview(self, client, staff_user, on_commit):
        CampaignFactory.in_matching()
        client.force_login(staff_user)
        upload = io.BytesIO(dataset(GOOD).export("xlsx"))
        upload.name = "people.xlsx"
        preview = client.post(
            reverse("admin:accounts_user_import"), {"resource": "0", "format": "1", "import_file": upload}
        )
        assert preview.status_code == 200 and "Ada" in preview.content.decode()
        assert not User.objects.filter(email="ada.lovelace@students.school.test").exists()  # a preview writes nothing
        confirm = preview.context["confirm_form"].initial
        with on_commit():
            response = client.post(reverse("admin:accounts_user_process_import"), {**confirm, "resource": "0"})
        assert response.status_code == 302
        assert User.objects.filter(email="ada.lovelace@students.school.test").exists()

    @pytest.mark.parametrize(
        ("content", "name", "fmt", "message"),
        [
            (b"name;phone\nAda;0102", "people.csv", "0", "The file needs the columns email, first_name"),
            (b"\x00\xffnot a workbook", "people.xlsx", "1", "Ensure you have chosen the correct format"),
        ],
    )
    def test_a_file_that_is_not_a_list_of_people_is_refused_with_a_message(
        self, client, staff_user, content, name, fmt, message
    ):
        client.force_login(staff_user)
        upload = io.BytesIO(content)
        upload.name = name
        response = client.post(
            reverse("admin:accounts_user_import"), {"resource": "0", "format": fmt, "import_file": upload}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert User.objects.count() == 1  # the staff member only


def test_the_example_file_of_the_docs_has_one_row_refused_with_its_reason():
    from pathlib import Path

    from django.conf import settings

    CampaignFactory.in_matching()
    data = tablib.Dataset().load((Path(settings.BASE_DIR) / "docs" / "import-example.csv").read_text(), format="csv")
    with override_settings(STUDENT_EMAIL_DOMAINS=["example.org"]):
        result = PersonResource().import_data(data, dry_run=True)
    [refused] = result.invalid_rows
    assert refused.values[0] == "ines.garnier@gmail.com"
    assert "must be in the school's domain" in refused.field_specific_errors["email"][0]
    assert len(result.rows) == 4


def test_only_the_career_department_imports(client):
    from accounts.factories import StaffFactory

    outsider = StaffFactory(career_department=False)
    client.force_login(outsider)
    assert client.get(reverse("admin:accounts_user_import")).status_code == 403


def test_the_preview_shows_the_profile_columns_of_the_file(client, staff_user):
    CampaignFactory.in_matching()
    client.force_login(staff_user)
    upload = csv_file(GOOD)
    upload.name = "people.csv"
    content = client.post(
        reverse("admin:accounts_user_import"), {"resource": "0", "format": "0", "import_file": upload}
    ).content.decode()
    assert "Computing" in content and "2027" in content and "Energy" in content
