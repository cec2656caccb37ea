"""Every notice kind is declared once, with its templates; every mail template belongs to a kind."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template
from django.utils import translation

from core.notices import DEFAULT_REASON, NoticeKind, UnknownNoticeKind, notice_kinds, register, send_notice

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"


def test_the_apps_declare_their_kinds():
    # One for each folder under templates/emails/ today; an app that stops declaring its kinds
    # (its notices module not found) would leave this far short.
    assert len(notice_kinds()) >= 31


@pytest.mark.parametrize("kind", notice_kinds(), ids=lambda kind: kind.name)
def test_each_kind_has_its_subject_content_and_reason(kind):
    get_template(kind.subject_template)
    get_template(kind.content_template)
    get_template(kind.reason_template)
    own_reason = EMAILS / kind.template_dir / "reason.txt"
    # A reason.txt that the kind does not declare would be ignored silently.
    assert own_reason.exists() == kind.own_reason, own_reason


@pytest.mark.parametrize("kind", notice_kinds(), ids=lambda kind: kind.name)
def test_each_kind_has_a_label_staff_can_read(kind):
    # The admin's outbox shows it in the kind column and filter; a code name is not one.
    assert str(kind.label).strip(), kind.name
    assert "_" not in str(kind.label), kind.label


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_two_kinds_share_a_label(language):
    # Two kinds read alike would make the kind filter offer the same words twice.
    with translation.override(language):
        labels = [str(kind.label) for kind in notice_kinds()]
    assert len(set(labels)) == len(labels), sorted(label for label in labels if labels.count(label) > 1)


def test_a_label_is_not_part_of_the_kind():
    assert NoticeKind("some_kind", label="Some kind") == NoticeKind("some_kind")


def test_the_default_reason_is_one_template():
    assert (EMAILS / "reason.txt").exists()
    assert NoticeKind("some_kind").reason_template == DEFAULT_REASON


def test_every_mail_template_folder_belongs_to_a_declared_kind():
    folders = {path.name for path in EMAILS.iterdir() if path.is_dir()}
    assert folders == {kind.template_dir for kind in notice_kinds()}


def test_a_kind_is_declared_once():
    name = notice_kinds()[0].name
    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        register(NoticeKind(name))


def test_an_undeclared_kind_is_refused_before_anything_is_written():
    # No database: the refusal comes before any query.
    with pytest.raises(UnknownNoticeKind, match="welcom"):
        send_notice("welcom", recipient=object(), obj=object())


def test_the_tasks_keep_the_names_beat_and_queued_messages_use():
    from core import tasks

    assert tasks.deliver_notice_task.name == "mentoring.notices.deliver_notice_task"
    assert tasks.requeue_undelivered_notices_task.name == "mentoring.tasks.requeue_undelivered_notices_task"
