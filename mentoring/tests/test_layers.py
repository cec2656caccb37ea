"""The lower layer never spells out an upper app's vocabulary (DESIGN.md, "How apps contribute").

import-linter keeps ``mentoring`` from importing ``roadbook`` and ``evaluations``; this test keeps
the strings out too: the upper apps' model names, relation names, status values, URL namespaces,
template folders and tag libraries, in every template under ``templates/mentoring/`` and every
module of ``mentoring`` but the composition root (settings, root URLs, Celery app, WSGI).
Everything it looks for is read from the upper apps themselves, so it stays current.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from mentoring.models import Campaign, MentorEnrollment, Mentorship, Phase

UPPER_APPS = ["roadbook", "evaluations"]
ROOT = Path(settings.BASE_DIR)
# The composition root wires every app together; migrations are history.
COMPOSITION_ROOT = {"settings.py", "settings_test.py", "urls.py", "celery.py", "wsgi.py"}


def _own_statuses():
    values = set()
    for model in (Campaign, MentorEnrollment, Mentorship):
        for field in model._meta.get_fields():
            values |= {str(value) for value, _label in getattr(field, "choices", None) or []}
    return values | {str(value) for value in Phase.values}


def vocabulary():
    """(pattern, what it is) for each word of the upper apps that the lower layer must not say."""
    own = _own_statuses()
    words = []
    for label in UPPER_APPS:
        config = apps.get_app_config(label)
        words += [
            (rf"['\"]{label}:", f"a URL of {label}"),
            (rf"['\"]{label}/", f"a template of {label}"),
            (rf"\badmin:{label}_", f"an admin page of {label}"),
        ]
        tags = Path(config.path) / "templatetags"
        for library in tags.glob("*.py") if tags.exists() else []:
            if library.stem != "__init__":
                words.append((rf"\b{library.stem}\b", f"the tag library {library.stem}"))
        for model in config.get_models():
            words.append((rf"\b{model.__name__}\b", f"the model {model.__name__}"))
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey | models.OneToOneField)
                    and field.related_model._meta.app_label == "mentoring"
                ):
                    name = field.remote_field.related_name
                    # As code says it: an attribute, a lookup, or a string (not the English word).
                    pattern = rf"\.{name}\b|\b{name}__|['\"]{name}['\"]"
                    words.append((pattern, f"the relation {name} of {model.__name__}"))
                states = getattr(field, "choices", None) or [] if field.name in ("status", "kind") else []
                for value, _label in states:
                    if str(value) not in own:
                        words.append((rf"['\"]{value}['\"]", f"the value {value!r} of {model.__name__}.{field.name}"))
    return words


def _files():
    templates = sorted((ROOT / "templates" / "mentoring").rglob("*.html"))
    modules = [
        path
        for path in sorted((ROOT / "mentoring").rglob("*.py"))
        if path.name not in COMPOSITION_ROOT and "migrations" not in path.parts and path.name != Path(__file__).name
    ]
    return templates + modules


def test_the_vocabulary_is_read_from_the_upper_apps():
    found = {what for _pattern, what in vocabulary()}
    assert "the model Interview" in found and "the relation roadbook of Roadbook" in found
    assert "the value 'held' of Interview.status" in found
    # Words the mentoring app owns too are not the upper apps' to forbid.
    assert "the value 'requested' of CoachingReferral.status" not in found


@pytest.mark.parametrize("path", _files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_the_lower_layer_names_no_upper_app(path):
    # Text shown to people (translated strings) may use any English word, such as "done".
    text = re.sub(r"\{%\s*translate\s+\"[^\"]*\"\s*%\}|\b_\(\"[^\"]*\"\)", "", path.read_text(encoding="utf-8"))
    said = [
        f"line {text[: match.start()].count(chr(10)) + 1}: {what} ({match.group(0)!r})"
        for pattern, what in vocabulary()
        for match in re.finditer(pattern, text)
    ]
    assert not said, f"{path.relative_to(ROOT)} names an upper app:\n" + "\n".join(said)
