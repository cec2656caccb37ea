"""Form fields that turn any input into a form error, never a server error."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html

# Every primary key of ours is a 64-bit signed integer (BigAutoField); SQLite refuses to even
# compare a larger number (OverflowError), PostgreSQL answers an error that aborts the transaction.
_PK_MIN, _PK_MAX = -(2**63), 2**63 - 1


def _integer_key(field):
    meta = field.queryset.model._meta
    return isinstance(meta.get_field(field.to_field_name) if field.to_field_name else meta.pk, models.IntegerField)


def _integer_out_of_range(value):
    if not isinstance(value, str | int):
        return False
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not an integer: the field's own checks refuse it
    return not _PK_MIN <= number <= _PK_MAX


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses a key no integer column holds before asking the database."""

    def to_python(self, value):
        if value not in self.empty_values and _integer_key(self) and _integer_out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses keys no integer column holds before asking the
    database (``languages=99999999999999999999`` is a form error, not an OverflowError)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) and _integer_key(self) else []:
            if _integer_out_of_range(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


def mark_needed(form, names, reason):
    """Marks the fields a later step needs (sending, completing) on a form that saves drafts with
    any of them empty: a star after the label, as for required fields, and ``reason`` for screen
    readers. The fields stay optional for saving."""
    for name in names:
        if name in form.fields:
            field = form.fields[name]
            field.label = format_html(
                '{}<span class="asteriskField" aria-hidden="true">*</span><span class="visually-hidden"> ({})</span>',
                field.label,
                reason,
            )
