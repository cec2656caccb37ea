import uuid
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.STAFF)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address: a student, an alumnus, or staff only.

    Staff of the Alumni Career Department are users with ``is_staff`` in the "Career Department"
    group (``accounts.career_department``), whatever their role: an alumnus may be staff too. A
    member of staff who is neither student nor alumnus has the role "staff", and no profile.
    """

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        ALUMNUS = "alumnus", _("Alumnus")
        STAFF = "staff", _("Staff only")

    class StaffNotices(models.TextChoices):
        IMMEDIATE = "immediate", _("One mail for each notice, at once")
        DIGEST = "digest", _("One summary a day")

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and mails are shown in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Alumni Career Department: can open the admin and the programme dashboard."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    staff_notices = models.CharField(
        _("notices of the Career Department"),
        max_length=10,
        choices=StaffNotices.choices,
        default=StaffNotices.IMMEDIATE,
        # In the database too: code that predates the column (a rolling deploy, a migration's
        # historical model) still inserts people.
        db_default=StaffNotices.IMMEDIATE,
        help_text=_(
            "For staff: how you receive what needs the department (new mentor applications, coaching requests, "
            "late road-books, mentors withdrawn)."
        ),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Set when the person's data was erased (accounts.data_protection): the row stays, holding
    # nothing personal, so that what the programme counts keeps adding up.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        # Importing a file of students and alumni (accounts.imports) creates accounts and mails
        # invitations: a permission of its own, apart from adding one person by hand.
        permissions = [
            ("import_user", _("Can import students and alumni from a file")),
            # The programme's pages show road-books, CVs and evaluations to staff holding this
            # (accounts.permissions), not to every account with is_staff.
            ("read_confidential_user", _("Can read students' road-books, CVs and evaluations")),
            # Erasure keeps the person's row, emptied (accounts.data_protection): not a deletion.
            ("erase_user", _("Can erase a person's personal data")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        if self.is_erased:
            return str(_("Former participant"))
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        if self.is_erased:
            return str(_("Former participant"))
        return self.first_name or self.email

    @property
    def is_erased(self):
        return self.erased_at is not None

    @property
    def is_student(self):
        return self.role == self.Role.STUDENT

    @property
    def is_alumnus(self):
        return self.role == self.Role.ALUMNUS

    @property
    def holds_staff_notices(self):
        """Staff notices wait for this person's daily digest instead of leaving at once."""
        return self.staff_notices == self.StaffNotices.DIGEST

    @property
    def profile_model(self):
        """The model of the role's profile; None for staff only, who have none."""
        return {self.Role.STUDENT: StudentProfile, self.Role.ALUMNUS: AlumnusProfile}.get(self.role)

    @property
    def profile(self):
        """The role's profile, or None while it has not been created (or the role has none)."""
        if self.is_student:
            return getattr(self, "student_profile", None)
        if self.is_alumnus:
            return getattr(self, "alumnus_profile", None)
        return None

    @property
    def profile_is_incomplete(self):
        """The role has a profile, and it is missing or incomplete: others can't tell who this is."""
        if self.profile_model is None:
            return False
        profile = self.profile
        return profile is None or not profile.is_complete

    def get_or_create_profile(self):
        """The role's profile, created empty when missing; None for staff only."""
        model = self.profile_model
        if model is None:
            return None
        profile, _created = model.objects.get_or_create(user=self)
        return profile


class Sector(models.Model):
    """A professional sector or function that alumni work in and students aim for."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Data, not code: staff edit both names in the admin. Empty: the English name is shown.
    name_fr = models.CharField(_("name in French"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.localized_name()

    @staticmethod
    def _in_french(language=None):
        return (language or get_language() or "en")[:2] == "fr"

    def localized_name(self, language=None):
        """The name in the given language (the active one by default), English when it has none."""
        return (self.name_fr if self._in_french(language) else "") or self.name

    @staticmethod
    def localized_name_expression(path=""):
        """``localized_name()`` in SQL, for the sector at ``path`` ("sector__" from a through
        table): the French name on French pages when it has one, else the English name."""
        from django.db.models import F, Value
        from django.db.models.functions import Coalesce, NullIf

        if Sector._in_french():
            return Coalesce(NullIf(F(f"{path}name_fr"), Value("")), F(f"{path}name"))
        return F(f"{path}name")


class Language(models.Model):
    """A language a mentor can hold an interview in."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HttpsURLField(models.URLField):
    """A URL field whose form field completes an address typed without a scheme with https://."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def _graduation_year_validators():
    return [MinValueValidator(1900), MaxValueValidator(2100)]


class StudentProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="student_profile")
    programme = models.CharField(_("programme"), max_length=150, blank=True)
    specialization = models.CharField(_("specialization"), max_length=150, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        _("expected graduation year"), null=True, blank=True, validators=_graduation_year_validators()
    )
    # What the student looks for in a mentor: the directory suggests mentors who fit it.
    target_sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors and functions I aim for"), blank=True, related_name="+"
    )
    languages = models.ManyToManyField(Language, verbose_name=_("languages I speak"), blank=True, related_name="+")
    # Defaults in the database too: code that predates the columns (a rolling deploy, a
    # migration's historical model) still inserts profiles.
    city = models.CharField(_("city"), max_length=100, blank=True, default="", db_default="")
    country = models.CharField(_("country"), max_length=100, blank=True, default="", db_default="")
    prefers_in_person = models.BooleanField(_("I would like to meet in person"), default=False, db_default=False)
    prefers_video = models.BooleanField(_("I would like to meet by video call"), default=False, db_default=False)
    prefers_phone = models.BooleanField(_("I would like to talk by phone"), default=False, db_default=False)

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")

    def __str__(self):
        return str(self.user)

    @property
    def is_complete(self):
        return bool(self.programme and self.specialization and self.graduation_year)


class AlumnusProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="alumnus_profile")
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"), null=True, blank=True, validators=_graduation_year_validators()
    )
    programme = models.CharField(_("programme"), max_length=150, blank=True)
    position = models.CharField(_("current position"), max_length=150, blank=True)
    employer = models.CharField(_("employer"), max_length=150, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True, related_name="+")
    linkedin_url = HttpsURLField(_("LinkedIn profile"), blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("alumnus profile")
        verbose_name_plural = _("alumnus profiles")

    def __str__(self):
        return str(self.user)

    @property
    def is_complete(self):
        return bool(self.graduation_year and self.programme and self.position and self.employer)


def _values(text):
    return {v.strip().lower() for v in text.split(",") if v.strip()}


class SchoolSignOn(models.Model):
    """The school's policy for one of its identity providers (an allauth social application):
    who must sign in through it, and how a first sign-in tells a person's role."""

    app = models.OneToOneField(
        "socialaccount.SocialApp",
        verbose_name=_("identity provider"),
        on_delete=models.CASCADE,
        related_name="school_sign_on",
    )
    students_must_use = models.BooleanField(
        _("students must sign in with this provider"),
        default=False,
        help_text=_("Their password no longer opens their account: the sign-in page sends them to this provider."),
    )
    staff_must_use = models.BooleanField(
        _("staff must sign in with this provider"),
        default=False,
        help_text=_(
            "The same for staff (superusers keep their password, to repair a broken provider). "
            "Alumni always keep signing in with their e-mail address."
        ),
    )
    role_claim = models.CharField(
        _("role claim or attribute"),
        max_length=200,
        blank=True,
        help_text=_(
            "The claim (OpenID Connect) or attribute (SAML) that tells a new person's role, e.g. roles, or "
            "urn:oid:1.3.6.1.4.1.5923.1.1.1.1 (eduPersonAffiliation). Empty, or a value listed below for no "
            "role: the e-mail domain decides (the school's student domains: student; any other: alumnus)."
        ),
    )
    student_values = models.CharField(
        _("values for students"), max_length=200, blank=True, default="student", help_text=_("Separated by commas.")
    )
    alumnus_values = models.CharField(
        _("values for alumni"),
        max_length=200,
        blank=True,
        default="alum, alumni, alumnus",
        help_text=_("Separated by commas."),
    )
    staff_values = models.CharField(
        _("values for staff"),
        max_length=200,
        blank=True,
        default="staff, faculty, employee",
        help_text=_("A new member of staff gets no admin access until a superuser grants it."),
    )

    class Meta:
        verbose_name = _("school sign-on policy")
        verbose_name_plural = _("school sign-on policies")

    def __str__(self):
        return str(self.app)

    def role_for(self, values):
        """The role the claim's values give (student first, then staff, then alumnus), or None."""
        values = {str(v).strip().lower() for v in values}
        for role, accepted in (
            (User.Role.STUDENT, self.student_values),
            (User.Role.STAFF, self.staff_values),
            (User.Role.ALUMNUS, self.alumnus_values),
        ):
            if values & _values(accepted):
                return role
        return None

    def applies_to(self, user):
        """Whether this policy takes the password sign-in away from this person."""
        if user.is_superuser:
            return False
        if self.students_must_use and user.is_student:
            return True
        return self.staff_must_use and (user.is_staff or user.role == User.Role.STAFF)


class Consent(models.Model):
    """A person accepted a version of one of the programme's documents (the charter, the privacy
    notice), at sign-up or later when a new version asks them again. Kept as evidence: a row is
    never changed, a new version is a new row."""

    class Document(models.TextChoices):
        CHARTER = "charter", _("Programme charter")
        PRIVACY = "privacy", _("Privacy notice")

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(_("document"), max_length=10, choices=Document.choices)
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "document", "version"], name="one_consent_per_document_version")
        ]

    def __str__(self):
        return f"{self.get_document_display()} {self.version}"

    @staticmethod
    def missing_for(user) -> list[str]:
        """The documents whose current version ``user`` has not accepted (a new version, an
        account imported rather than signed up)."""
        current = Consent.current_versions()
        accepted = set(user.consents.filter(version__in=set(current.values())).values_list("document", "version"))
        return [document for document, version in current.items() if (document, version) not in accepted]

    @staticmethod
    def accept_current(user) -> None:
        """``user`` accepts the current version of every document (sign-up, and the demo's and
        factories' people); versions already accepted stay as they were."""
        Consent.objects.bulk_create(
            [Consent(user=user, document=d, version=v) for d, v in Consent.current_versions().items()],
            ignore_conflicts=True,
        )

    @staticmethod
    def current_versions() -> dict[str, str]:
        """The version of each document that people accept today (settings)."""
        return {
            Consent.Document.CHARTER: settings.CHARTER_VERSION,
            Consent.Document.PRIVACY: settings.PRIVACY_NOTICE_VERSION,
        }


def export_upload_to(instance, filename):
    # A random name: the file is served only through the owner's permission-checked view.
    return f"exports/{uuid.uuid4().hex}.zip"


class DataExportQuerySet(models.QuerySet):
    def for_user(self, user: User) -> models.QuerySet:
        """A person's own archives: nobody else's link works."""
        return self.filter(user=user)

    def listed(self, now=None) -> models.QuerySet:
        """The archives a person still sees: being built, or ready and not expired."""
        now = now or timezone.now()
        return self.filter(Q(ready_at__isnull=True) | (Q(expires_at__gt=now) & ~Q(file="")))

    def delete_with_files(self) -> int:
        """Deletes the rows, and their files from storage once the transaction commits."""
        for export in self.exclude(file=""):
            transaction.on_commit(partial(export.file.storage.delete, export.file.name), robust=True)
        return self.delete()[0]


class DataExport(models.Model):
    """A person's "my data" archive, built in the background for a large account (a small one is
    sent at once, without a row). Its link works for its owner only, until ``expires_at``."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="data_exports")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires at"), null=True, blank=True)
    file = models.FileField(_("archive"), upload_to=export_upload_to, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.user} · {self.requested_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("accounts:export_download", args=[self.pk])

    def is_available(self, now=None) -> bool:
        return bool(self.file) and self.expires_at is not None and (now or timezone.now()) < self.expires_at
