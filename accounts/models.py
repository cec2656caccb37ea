from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
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
        extra_fields.setdefault("role", User.Role.ALUMNUS)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address: a student or an alumnus.

    Staff of the Alumni Career Department are users with ``is_staff``, whatever their role.
    """

    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        ALUMNUS = "alumnus", _("Alumnus")

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
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_student(self):
        return self.role == self.Role.STUDENT

    @property
    def is_alumnus(self):
        return self.role == self.Role.ALUMNUS

    @property
    def profile(self):
        """The role's profile, or None while it has not been created."""
        name = "student_profile" if self.is_student else "alumnus_profile"
        return getattr(self, name, None)

    def get_or_create_profile(self):
        model = StudentProfile if self.is_student else AlumnusProfile
        profile, _created = model.objects.get_or_create(user=self)
        return profile


class Sector(models.Model):
    """A professional sector or function that alumni work in and students aim for."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]

    def __str__(self):
        return self.name


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
