"""Demo people for `manage.py seed_demo`. Idempotent: keyed on e-mail addresses."""

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.career_department import GROUP_NAME, sync_group
from accounts.models import AlumnusProfile, Consent, Language, Sector, StudentProfile, User

DEMO_PASSWORD = "demo-mentoring"  # noqa: S105 (documented demo password, demo data only)

FIRST_NAMES = [
    "Camille",
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Nathan",
    "Manon",
    "Yanis",
    "Sarah",
    "Louis",
    "Emma",
    "Karim",
    "Julie",
    "Thomas",
    "Aïcha",
    "Maxime",
    "Clara",
    "Antoine",
    "Zoé",
    "Mehdi",
    "Pauline",
    "Julien",
    "Sofia",
    "Arthur",
    "Élodie",
    "Romain",
    "Nina",
    "Victor",
    "Lina",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
]
PLACES = [
    ("Paris", "France"),
    ("Lyon", "France"),
    ("Toulouse", "France"),
    ("Lille", "France"),
    ("Nantes", "France"),
    ("Bordeaux", "France"),
    ("London", "United Kingdom"),
    ("Berlin", "Germany"),
    ("Madrid", "Spain"),
    ("Montréal", "Canada"),
    ("Geneva", "Switzerland"),
    ("Singapore", "Singapore"),
    ("New York", "United States"),
]
POSITIONS = [
    ("Data scientist", "Datalys"),
    ("Project manager", "Airbus"),
    ("Consultant", "Capgemini Invent"),
    ("Process engineer", "Saint-Gobain"),
    ("Product owner", "BlaBlaCar"),
    ("Risk analyst", "BNP Paribas"),
    ("R&D engineer", "Safran"),
    ("Supply chain manager", "Decathlon"),
    ("Energy analyst", "EDF"),
    ("Software engineer", "Doctolib"),
    ("Marketing manager", "L'Oréal"),
    ("Research fellow", "CNRS"),
    ("Sustainability officer", "Veolia"),
    ("Quality engineer", "Sanofi"),
    ("CTO", "Greenloop (start-up)"),
]
PROGRAMMES = [
    "General engineering",
    "Computer science",
    "Industrial engineering",
    "Energy and environment",
    "Management",
]
SPECIALIZATIONS = ["Data science", "Supply chain", "Sustainable energy", "Software engineering", "Finance", "Marketing"]


def _person(email, first_name, last_name, role, *, language="en", is_staff=False, is_superuser=False):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "role": role,
            "language": language,
            "is_staff": is_staff,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    # Demo people accepted the charter and the privacy notice, as at sign-up.
    Consent.accept_current(user)
    return user, created


def _alumnus_profile(user, rng, index):
    profile, created = AlumnusProfile.objects.get_or_create(user=user)
    if created:
        sectors = list(Sector.objects.order_by("name"))
        languages = list(Language.objects.order_by("code"))
        position, employer = POSITIONS[index % len(POSITIONS)]
        city, country = PLACES[index % len(PLACES)]
        profile.graduation_year = 2000 + index % 24
        profile.programme = PROGRAMMES[index % len(PROGRAMMES)]
        profile.position = position
        profile.employer = employer
        profile.sector = sectors[index % len(sectors)] if sectors else None
        profile.city, profile.country = city, country
        profile.linkedin_url = f"https://www.linkedin.com/in/{user.first_name.lower()}-{user.last_name.lower()}-demo"
        profile.bio = (
            f"{position} at {employer}. Graduated in {profile.graduation_year}; happy to talk about careers in "
            f"{profile.sector} and how to get a first job there."
        )
        profile.save()
        spoken = [lang for lang in languages if lang.code in ("en", "fr")]
        spoken += rng.sample([lang for lang in languages if lang.code not in ("en", "fr")], k=index % 3)
        profile.languages.set(spoken)
    return profile


def _student_profile(user, index):
    profile, _created = StudentProfile.objects.get_or_create(
        user=user,
        defaults={
            "programme": PROGRAMMES[index % len(PROGRAMMES)],
            "specialization": SPECIALIZATIONS[index % len(SPECIALIZATIONS)],
            "graduation_year": 2027,
        },
    )
    if not profile.target_sectors.exists():
        # What the student looks for, so that the directory has suggestions to show (a demo
        # seeded before these fields existed gets them too).
        sectors = list(Sector.objects.order_by("name"))
        city, country = PLACES[index % len(PLACES)]
        profile.city, profile.country = city, country
        profile.prefers_video, profile.prefers_in_person = index % 2 == 0, index % 3 == 0
        profile.save(update_fields=["city", "country", "prefers_video", "prefers_in_person"])
        if sectors:
            profile.target_sectors.set([sectors[(index * 3) % len(sectors)], sectors[(index * 3 + 1) % len(sectors)]])
        profile.languages.set(Language.objects.filter(code__in=["fr", "en"][: 1 + index % 2]))


def seed(context):
    rng = random.Random(2026)
    people = context.setdefault("people", {})
    created_count = 0

    # Staff only, not a superuser: the admin shows her what the Career Department's group grants.
    staff, created = _person("staff@example.org", "Sophie", "Career", User.Role.STAFF, is_staff=True)
    created_count += created
    if not created and (staff.role, staff.is_staff, staff.is_superuser) != (User.Role.STAFF, True, False):
        # A demo database seeded before: she was an alumna and a superuser then.
        staff.role, staff.is_staff, staff.is_superuser = User.Role.STAFF, True, False
        staff.save(update_fields=["role", "is_staff", "is_superuser"])
    staff.groups.add(Group.objects.filter(name=GROUP_NAME).first() or sync_group())
    people["staff"] = staff

    mentor, created = _person("mentor@example.org", "Marc", "Mentor", User.Role.ALUMNUS)
    created_count += created
    _alumnus_profile(mentor, rng, 0)
    people["mentor"] = mentor

    student, created = _person("student@example.org", "Alice", "Student", User.Role.STUDENT)
    created_count += created
    _student_profile(student, 0)
    people["student"] = student

    alumni = [mentor]
    for i in range(1, 30):
        first, last = FIRST_NAMES[i % len(FIRST_NAMES)], LAST_NAMES[(i * 7) % len(LAST_NAMES)]
        user, created = _person(
            f"alumnus{i:02d}@example.org", first, last, User.Role.ALUMNUS, language="fr" if i % 3 == 0 else "en"
        )
        created_count += created
        _alumnus_profile(user, rng, i)
        alumni.append(user)
    people["alumni"] = alumni

    students = [student]
    for i in range(1, 20):
        first, last = FIRST_NAMES[(i * 3) % len(FIRST_NAMES)], LAST_NAMES[(i * 11) % len(LAST_NAMES)]
        user, created = _person(f"student{i:02d}@example.org", first, last, User.Role.STUDENT)
        created_count += created
        _student_profile(user, i)
        students.append(user)
    people["students"] = students

    context.setdefault("created", {})["users"] = created_count
