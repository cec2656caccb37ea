"""Importing students and alumni from a CSV or XLSX file (django-import-export, in the admin).

One row a person: ``email``, ``first_name``, ``last_name``, ``role`` (``student`` or
``alumnus``), and optionally ``programme`` and ``graduation_year`` (both roles) and ``sector``
(alumni). A row is refused with its reason in plain words (a bad address, a student's address
outside the school's domains, an unknown sector…) and a file with a refused row writes nothing.
A person already known by their address is left as they are: importing the same file twice
creates no one twice and sends no second invitation.

New people get an invitation to set their password. After a real (not dry-run) import,
``people_imported`` tells the apps above who was in the file: mentoring puts the students on the
current campaign's roster and invites the alumni to volunteer.
"""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field
from import_export.results import RowResult

from accounts import rules
from accounts.models import AlumnusProfile, Sector, StudentProfile, User
from core.notices import action, send_notice

# Sent after a real import, once the rows are saved: ``people`` are the users of the file's
# accepted rows (new or already known), ``new`` those the import created.
people_imported = Signal()

ROLE_WORDS = {
    "student": User.Role.STUDENT,
    "étudiant": User.Role.STUDENT,
    "etudiant": User.Role.STUDENT,
    "étudiante": User.Role.STUDENT,
    "alumnus": User.Role.ALUMNUS,
    "alumna": User.Role.ALUMNUS,
    "alumni": User.Role.ALUMNUS,
    "ancien": User.Role.ALUMNUS,
    "ancienne": User.Role.ALUMNUS,
}
REQUIRED_COLUMNS = ("email", "first_name", "last_name", "role")
PROFILE_COLUMNS = ("programme", "graduation_year", "sector")


def invitation_link(user: User) -> str:
    """allauth's own set-a-password link (the password reset from a key) for ``user``."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )


class PersonResource(resources.ModelResource):
    email = Field(attribute="email", column_name="email")
    first_name = Field(attribute="first_name", column_name="first_name")
    last_name = Field(attribute="last_name", column_name="last_name")
    role = Field(attribute="role", column_name="role")
    # Profile columns: read from the row (after_save_instance), shown in the preview as the file has them.
    programme = Field(attribute="imported_programme", column_name="programme", readonly=True)
    graduation_year = Field(attribute="imported_graduation_year", column_name="graduation_year", readonly=True)
    sector = Field(attribute="imported_sector", column_name="sector", readonly=True)

    class Meta:
        model = User
        import_id_fields = ["email"]
        fields = ["email", "first_name", "last_name", "role", "programme", "graduation_year", "sector"]
        # A known person is never changed by a list: same file twice, nothing twice.
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._new = []
        self._people = []

    def before_import(self, dataset, **kwargs):
        missing = [column for column in REQUIRED_COLUMNS if column not in (dataset.headers or [])]
        if missing:
            raise ValueError(
                _("The file needs the columns %(needed)s on its first line; it has %(found)s.")
                % {
                    "needed": ", ".join(REQUIRED_COLUMNS),
                    "found": ", ".join(str(header) for header in dataset.headers or []) or "—",
                }
            )

    def before_import_row(self, row, **kwargs):
        for column in ("email", "first_name", "last_name", "role", *PROFILE_COLUMNS):
            if column in row and row[column] is not None:
                row[column] = str(row[column]).strip()
        row["email"] = (row.get("email") or "").lower()
        role = (row.get("role") or "").lower()
        row["role"] = ROLE_WORDS.get(role, role)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        # Someone already known (found by their address) stays as they are.
        return instance.pk is not None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        for column in PROFILE_COLUMNS:
            setattr(instance, f"imported_{column}", row.get(column) or "")
        errors = {}
        known = instance.pk is not None
        if not known:
            # They choose their own password from the invitation.
            instance.set_unusable_password()
        try:
            validate_email(row["email"])
        except ValidationError as error:
            errors["email"] = error.messages[0]
        if row.get("role") not in User.Role.values:
            errors["role"] = _("Give the role as “student” or “alumnus”.")
        elif known and User.objects.filter(pk=instance.pk).exclude(role=row["role"]).exists():
            errors["role"] = _("This address belongs to someone with another role; the import does not change roles.")
        elif row["role"] == User.Role.STUDENT and "email" not in errors and not rules.is_school_email(row["email"]):
            errors["email"] = _("A student's address must be in the school's domain (%(domains)s).") % {
                "domains": ", ".join(rules.settings.STUDENT_EMAIL_DOMAINS)
            }
        if not row.get("first_name"):
            errors["first_name"] = _("The first name is missing.")
        if not row.get("last_name"):
            errors["last_name"] = _("The last name is missing.")
        year = row.get("graduation_year") or ""
        if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
            errors["graduation_year"] = _("“%(value)s” is not a year.") % {"value": year}
        sector = row.get("sector") or ""
        if sector and row.get("role") == User.Role.ALUMNUS and not Sector.objects.filter(name__iexact=sector).exists():
            errors["sector"] = _("Unknown sector “%(name)s”: use one of the sectors listed in the admin.") % {
                "name": sector
            }
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        # The school vouches for the address; the invitation proves the person reads it.
        EmailAddress.objects.update_or_create(
            user=instance, email=instance.email, defaults={"verified": True, "primary": True}
        )
        year = int(row["graduation_year"]) if row.get("graduation_year") else None
        if instance.is_student:
            StudentProfile.objects.get_or_create(
                user=instance, defaults={"programme": row.get("programme") or "", "graduation_year": year}
            )
        else:
            sector = Sector.objects.filter(name__iexact=row.get("sector") or "").first()
            AlumnusProfile.objects.get_or_create(
                user=instance,
                defaults={"programme": row.get("programme") or "", "graduation_year": year, "sector": sector},
            )

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_SKIP) and row_result.object_id:
            self._people.append(row_result.object_id)
            if row_result.import_type == RowResult.IMPORT_TYPE_NEW:
                self._new.append(row_result.object_id)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        new = list(User.objects.filter(pk__in=self._new))
        for user in new:
            invite(user)
        people = list(User.objects.filter(pk__in=self._people))
        people_imported.send(sender=self.__class__, people=people, new=new)


def invite(user: User) -> None:
    """The invitation to set a password, exactly once per person (the outbox's key)."""
    send_notice(
        "invitation",
        recipient=user,
        obj=user,
        context=action(invitation_link(user), gettext_lazy("Choose my password")),
    )
