from allauth.account.signals import email_confirmed, user_signed_up
from django.db.models import Case, F, When
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import AlumnusProfile, Language, Sector, StudentProfile, User
from core.notices import action, send_notice
from mentoring import directory, search, services, suggestions
from mentoring.models import Campaign, MentorEnrollment, Mentorship, Participation, Phase


@receiver(email_confirmed)
def welcome_on_confirmed_email(sender, request, email_address, **kwargs):
    user = email_address.user
    send_notice(
        "welcome",
        recipient=user,
        obj=user,
        context=action(reverse("mentoring:me"), _("Open my personal area")),
    )


@receiver(user_signed_up)
def join_the_current_campaign(sender, request, user, **kwargs):
    """A student who signs up while a campaign is current and not ended is one of its students.

    On sign-up, not on the confirmed address: where verification is optional (the demo) a
    student may use the site without ever confirming, and is still one of the campaign's students.
    """
    if not user.is_student:
        return
    campaign = Campaign.objects.current()
    if campaign is None or campaign.phase == Phase.ENDED:
        return
    services.participation_add(campaign=campaign, student=user, source=Participation.Source.SIGNUP)


# MentorEnrollment.places_taken follows every mentorship that starts or stops taking a place.
# An increment, not a recount: two changes to one mentor's mentees at once both count, whatever
# their order. (A queryset.update() of statuses sends no signal: none in the services moves a
# mentorship into or out of a place; one that does must adjust places_taken itself.)


def _place(mentorship):
    """(enrollment id, takes a place) as the instance holds them, without loading deferred fields."""
    values = mentorship.__dict__
    return values.get("enrollment_id"), values.get("status") in Mentorship.OCCUPYING


def _move_places(enrollment_id, delta):
    # Both from the row as it is when the UPDATE locks it: right under concurrent changes.
    MentorEnrollment.objects.filter(pk=enrollment_id).update(
        places_taken=F("places_taken") + delta,
        full=Case(When(capacity__lte=F("places_taken") + delta, then=True), default=False),
    )
    directory.changed()  # the card's free places


@receiver(post_init, sender=Mentorship, dispatch_uid="places.loaded")
def _remember_place(sender, instance, **kwargs):
    instance._place_as_saved = _place(instance)


@receiver(post_save, sender=Mentorship, dispatch_uid="places.saved")
def _count_place(sender, instance, created, raw=False, **kwargs):
    before = (None, False) if created else instance._place_as_saved
    after = _place(instance)
    instance._place_as_saved = after
    if raw or before == after:
        return
    if before[1]:
        _move_places(before[0], -1)
    if after[1]:
        _move_places(after[0], +1)


@receiver(post_delete, sender=Mentorship, dispatch_uid="places.deleted")
def _free_place(sender, instance, **kwargs):
    enrollment_id, occupies = instance._place_as_saved
    if occupies:
        _move_places(enrollment_id, -1)


# What the suggestions are computed from changed: compute them again on the next visit.


@receiver(post_save, sender=StudentProfile, dispatch_uid="suggestions.profile")
def _profile_changed(sender, instance, **kwargs):
    suggestions.forget(instance.user_id)


@receiver(m2m_changed, sender=StudentProfile.target_sectors.through, dispatch_uid="suggestions.sectors")
@receiver(m2m_changed, sender=StudentProfile.languages.through, dispatch_uid="suggestions.languages")
def _profile_choices_changed(sender, instance, action, reverse, **kwargs):
    if action.startswith("post_") and not reverse:
        suggestions.forget(instance.user_id)


@receiver(post_save, sender=User, dispatch_uid="directory.sort_name")
def _keep_sort_name(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and instance.is_alumnus and search.names_may_have_changed(created, update_fields):
        MentorEnrollment.objects.filter(alumnus=instance).exclude(sort_name=instance.last_name).update(
            sort_name=instance.last_name
        )


# The directory's cached listing (mentoring.directory) shows enrolments, their sectors and
# languages, their alumnus's name and profile, and the sectors and languages to filter on: any
# change to one of them draws it again. (The free places move in _move_places above; the
# services that update enrolments in bulk call directory.changed() themselves.)


@receiver(post_save, sender=MentorEnrollment, dispatch_uid="directory.enrollment_saved")
@receiver(post_delete, sender=MentorEnrollment, dispatch_uid="directory.enrollment_deleted")
@receiver(post_save, sender=AlumnusProfile, dispatch_uid="directory.profile_saved")
@receiver(post_delete, sender=AlumnusProfile, dispatch_uid="directory.profile_deleted")
@receiver(post_delete, sender=User, dispatch_uid="directory.user_deleted")
def _directory_row_changed(sender, raw=False, **kwargs):
    if not raw:
        directory.changed()


@receiver(post_save, sender=Sector, dispatch_uid="directory.sector_saved")
@receiver(post_delete, sender=Sector, dispatch_uid="directory.sector_deleted")
@receiver(post_save, sender=Language, dispatch_uid="directory.language_saved")
@receiver(post_delete, sender=Language, dispatch_uid="directory.language_deleted")
def _directory_choice_changed(sender, raw=False, **kwargs):
    if not raw:
        directory.changed(reference=True)


@receiver(m2m_changed, sender=MentorEnrollment.sectors.through, dispatch_uid="directory.enrollment_sectors")
@receiver(m2m_changed, sender=MentorEnrollment.languages.through, dispatch_uid="directory.enrollment_languages")
def _directory_choices_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        directory.changed()


@receiver(post_save, sender=User, dispatch_uid="directory.user_saved")
def _directory_user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    # A name or a role may have changed (not on a sign-in, which only stamps last_login; a new
    # account has no enrolment yet).
    if not raw and not created and not (update_fields and set(update_fields) <= {"last_login"}):
        directory.changed()
