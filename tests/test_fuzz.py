"""No 500 on bad input: every form of the site and every admin list's filters, fuzzed.

Hypothesis posts each form of the access matrix, starting from its valid body, with some fields
replaced by hostile values (integers no database column holds, NUL bytes, impossible dates, long
and odd text, several values for one field), as the person the form is for; and opens every
admin change list with its own filter parameters (the ones its links carry, its date hierarchy)
set to such values. Whatever comes in, the answer is a page, a redirect or a 4xx: never a 5xx.
Bounded (a few examples per URL, derandomized) so that it runs in seconds; it runs on SQLite and
on PostgreSQL, whose limits differ.
"""

import html
import importlib
import re
from urllib.parse import parse_qsl

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access_matrix_objects import build_world
from tests.test_access_matrix import EXPECTED, _path

pytestmark = pytest.mark.django_db

HOSTILE = [
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "2147483648",
    "-1",
    "0",
    "1e309",
    "nan",
    "\x00",
    "1\x00",
    "99999",
    "99999-12-31",
    "0000-00-00",
    "2026-13-45T25:61",
    "10000-01-01T00:00",
    "",
    " ",
    "on",
    "x" * 5000,
    "𝕏𝕐",
    "<script>alert(1)</script>",
]
VALUE = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
FUZZ = settings(
    max_examples=8,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _form_field_names():
    """Every field name of every form class of our apps."""
    names = set()
    for app in ("accounts", "mentoring", "roadbook", "evaluations"):
        module = importlib.import_module(f"{app}.forms")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                names |= set(getattr(obj, "base_fields", {}))
    return names


# The forms, each posted by the person it is for; the profile also as an alumnus (its own form).
FORMS = [(name, url.actor) for name, url in EXPECTED.items() if url.body] + [("accounts:profile", "mentor_a")]


def _page_field_names(client, world, name, path):
    """The field names of the page the form is on: its own page, or its object's."""
    page = client.get(path)
    if page.status_code != 200:
        obj = world.objects.get(EXPECTED[name].obj)
        page = client.get(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else reverse("mentoring:me"))
    return set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', page.content.decode())) - {
        "csrfmiddlewaretoken"
    }


@pytest.mark.parametrize(("name", "actor"), FORMS, ids=[f"{n}-{a}" for n, a in FORMS])
def test_no_form_answers_5xx(client, name, actor):
    world = build_world(EXPECTED[name].obj)
    client.force_login(world.people[actor])
    path = _path(world, name)
    valid = EXPECTED[name].body(world)
    on_page = _page_field_names(client, world, name, path)
    ours = _form_field_names()
    # Every field of ours on the page, one at a time, with a key no column holds.
    for field in sorted(f for f in on_page if f.rsplit("-", 1)[-1] in ours):
        response = client.post(path, {**valid, field: [HOSTILE[0]]})
        assert response.status_code < 500, field
    prefixes = {""} | {key.split("-", 1)[0] + "-" for key in valid if "-" in key}
    fields = sorted(valid.keys() | on_page | {prefix + field for prefix in prefixes for field in ours})

    @FUZZ
    @given(st.dictionaries(st.sampled_from(fields), st.lists(VALUE, min_size=1, max_size=3), min_size=1, max_size=4))
    def post(changes):
        response = client.post(path, {**valid, **changes})
        assert response.status_code < 500, changes

    post()


def _changelists():
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    )


def _filter_names(model_admin, page):
    """The parameters the change list's own links carry, its date hierarchy and search."""
    names = {"q", "o", "p", "all", "_facets"}
    for query in re.findall(r'href="\?([^"]*)"', page):
        names |= {key for key, _value in parse_qsl(html.unescape(query), keep_blank_values=True)}
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    for entry in model_admin.list_filter:
        field = entry[0] if isinstance(entry, tuple) else entry
        if isinstance(field, str):
            names |= {f"{field}__exact", f"{field}__id__exact", f"{field}__year", f"{field}__gte", f"{field}__isnull"}
    return sorted(names)


@pytest.mark.parametrize("changelist", _changelists())
def test_no_admin_list_filter_answers_5xx(admin_client, changelist):
    build_world(None)
    path = reverse(changelist)
    first = admin_client.get(path)
    assert first.status_code == 200
    model_admin = first.context["cl"].model_admin
    names = _filter_names(model_admin, first.content.decode())

    # Each filter parameter, one at a time, with a NUL byte (PostgreSQL refuses it in any text).
    for name in names:
        response = admin_client.get(path, {name: "\x00"})
        assert response.status_code < 500, name

    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), VALUE, min_size=1, max_size=3))
    def get(params):
        response = admin_client.get(path, params)
        assert response.status_code < 500, params

    get()


@pytest.mark.parametrize(
    "query",
    [
        "evaluations/coachingreferral/?created_at__year=99999",
        "evaluations/coachingreferral/?created_at__year=2026&created_at__month=99&created_at__day=99",
        "django_celery_beat/periodictask/?start_time__year=99999",
        "mentoring/mentorship/?status=%00",
        "mentoring/mentorship/?status__exact=%00",
        "mentoring/mentorship/?campaign__id__exact=99999999999999999999",
        "core/sentnotice/?kind=%00",
        "core/sentnotice/?created_at__gte=99999-01-01",
        "accounts/user/?q=%00",
    ],
)
def test_impossible_admin_filters_are_ignored_or_refused(admin_client, query):
    response = admin_client.get(f"/admin/{query}")
    assert response.status_code in (200, 302, 400)


# --- Forms sent with GET: the staff dashboard's campaign picker, the directory's filters ---------

GET_FORMS = [
    (name, next(role for role in ("student_a", "mentor_a", "staff") if url.get[role] == 200))
    for name, url in EXPECTED.items()
    if any(url.get[role] == 200 for role in ("student_a", "mentor_a", "staff"))
]


@pytest.mark.parametrize(("name", "role"), GET_FORMS, ids=[f"{n}-{r}" for n, r in GET_FORMS])
def test_no_page_answers_5xx_to_its_get_form(client, name, role):
    world = build_world(EXPECTED[name].obj)
    client.force_login(world.people[role])
    path = _path(world, name)
    page = client.get(path)
    content = page.content.decode() if page.get("Content-Type", "").startswith("text/html") else ""
    forms_by_get = re.findall(r'<form[^>]*method="get"[^>]*>(.*?)</form>', content, flags=re.S | re.I)
    names = sorted({n for form in forms_by_get for n in re.findall(r'\sname="([^"]+)"', form)})
    # The staff export's parameters are in its links, not a form.
    names += sorted({k for q in re.findall(r'href="[^"]*\?([^"]*)"', content) for k, _v in parse_qsl(html.unescape(q))})
    if not names:
        return  # no form sent with GET on this page: nothing to fuzz
    names = sorted(set(names))
    for field in names:
        for value in ("\x00", TOO_BIG):
            response = client.get(path, {field: value})
            assert response.status_code < 500, (field, value)

    @FUZZ
    @given(st.dictionaries(st.sampled_from(names), VALUE, min_size=1, max_size=3))
    def get(params):
        response = client.get(path, params)
        assert response.status_code < 500, params

    get()


# --- The cases found, said plainly ---------------------------------------------------------------

TOO_BIG = "99999999999999999999"


@pytest.mark.parametrize("field", ["profile-languages", "profile-sector"])
def test_a_key_no_column_holds_is_a_form_error_in_the_profile(client, alumnus, field):
    client.force_login(alumnus)
    response = client.post(reverse("accounts:profile"), {"user-first_name": "Camille", field: [TOO_BIG]})
    assert response.status_code == 200
    assert response.context["profile_form"].has_error(field.removeprefix("profile-"))


@pytest.mark.parametrize("field", ["languages", "sectors"])
def test_a_key_no_column_holds_is_a_form_error_in_the_mentor_application(client, alumnus, field):
    from mentoring.factories import CampaignFactory

    CampaignFactory.in_recruitment()
    client.force_login(alumnus)
    body = {"capacity": "2", "modes": ["video"], "languages": ["1"], "sectors": ["1"], field: [TOO_BIG, "-" + TOO_BIG]}
    response = client.post(reverse("mentoring:mentor_apply"), body)
    assert response.status_code == 200
    assert response.context["form"].has_error(field)


def test_a_nul_byte_in_any_address_is_a_400(client, student):
    client.force_login(student)
    assert client.get(reverse("mentoring:me"), {"campaign": "\x00"}).status_code == 400
    assert client.get("/me/\x00").status_code == 400
