import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.career_department import GROUP_NAME, sync_group
from accounts.models import AlumnusProfile, Consent, Language, Sector, StudentProfile, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@alumni.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.ALUMNUS
    language = "en"
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """Every factory user has a verified primary address unless verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def consents(user, create, extracted, **kwargs):
        """Every factory user accepted the current charter and privacy notice, as at sign-up,
        unless consents=False."""
        if create and extracted is not False:
            Consent.accept_current(user)


class StudentFactory(UserFactory):
    email = factory.Sequence(lambda n: f"student{n}@students.school.test")
    role = User.Role.STUDENT
    student_profile = factory.RelatedFactory("accounts.factories.StudentProfileFactory", factory_related_name="user")


class AlumnusFactory(UserFactory):
    role = User.Role.ALUMNUS
    alumnus_profile = factory.RelatedFactory("accounts.factories.AlumnusProfileFactory", factory_related_name="user")


class StaffFactory(UserFactory):
    """A member of the Alumni Career Department: ``is_staff`` and in its group, not a superuser, so
    that tests see what the group grants. An alumnus too, unless ``role=User.Role.STAFF`` (or
    ``StaffOnlyFactory``); ``career_department=False`` leaves them out of the group."""

    email = factory.Sequence(lambda n: f"staff{n}@school.test")
    is_staff = True

    @factory.post_generation
    def career_department(user, create, extracted, **kwargs):
        if create and extracted is not False:
            group = Group.objects.filter(name=GROUP_NAME).first() or sync_group()
            user.groups.add(group)


class StaffOnlyFactory(StaffFactory):
    """Staff who are neither student nor alumnus."""

    role = User.Role.STAFF


class StudentProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, role=User.Role.STUDENT)
    programme = "General engineering"
    specialization = "Data science"
    graduation_year = 2027


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Sector {n}")


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = "en"
    name = "English"


class AlumnusProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlumnusProfile

    user = factory.SubFactory(UserFactory)
    graduation_year = 2012
    programme = "General engineering"
    position = factory.Faker("job")
    employer = factory.Faker("company")
    sector = factory.SubFactory(SectorFactory)
    city = "Lyon"
    country = "France"
    bio = "Happy to help."
