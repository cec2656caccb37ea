"""Mentor recruitment (alumni) and the mentor directory (students)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import RuleError
from core.ratelimit import RateLimited
from mentoring import directory as listing
from mentoring import services, suggestions
from mentoring.forms import EnrollmentForm, RequestForm
from mentoring.models import Campaign, MentorEnrollment, Mentorship

# Set when the student hides a suggestion, so the directory offers to show them again.
HIDDEN_SUGGESTIONS_KEY = "directory_hid_suggestions"


def _require_alumnus(user):
    if not user.is_alumnus:
        raise Http404


def _require_student(user):
    if not user.is_student:
        raise Http404


@login_required
def apply(request):
    """An alumnus applies, edits the application, or re-enrols with last campaign's answers."""
    _require_alumnus(request.user)
    campaign = Campaign.objects.current()
    enrollment = MentorEnrollment.objects.filter(alumnus=request.user, campaign=campaign).first() if campaign else None
    previous = services.previous_enrollment(request.user, campaign) if campaign else None
    is_open = campaign is not None and campaign.is_recruitment_open()
    if request.method == "POST" and is_open:
        form = EnrollmentForm(request.POST)
        if form.is_valid():
            try:
                services.enrollment_apply(alumnus=request.user, campaign=campaign, **form.cleaned_data)
            except RuleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thank you! Your application has been saved; staff will review it."))
                return redirect("mentoring:me")
    elif request.method == "POST":
        # Closed meanwhile: the answers come back on the page with the reason, never dropped.
        form = EnrollmentForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Applications are closed; nothing was saved."))
    else:
        source = enrollment or previous
        initial = (
            EnrollmentForm.initial_from(source)
            if source
            else {"capacity": campaign.default_mentor_capacity if campaign else 1}
        )
        form = EnrollmentForm(initial=initial)
    return render(
        request,
        "mentoring/apply.html",
        {
            "campaign": campaign,
            "is_open": is_open,
            "enrollment": enrollment,
            "previous": previous if enrollment is None else None,
            "form": form,
        },
    )


@login_required
@require_POST
def withdraw_enrollment(request):
    _require_alumnus(request.user)
    campaign = Campaign.objects.current()
    enrollment = get_object_or_404(MentorEnrollment, alumnus=request.user, campaign=campaign)
    try:
        services.enrollment_withdraw(enrollment=enrollment)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You have withdrawn from this campaign."))
    return redirect("mentoring:me")


@login_required
@require_safe
def directory(request):
    """The directory in at most eight queries, however many mentors and whatever the filters:
    session, user, campaign (with the id of the student's live mentorship), the live mentorship
    if any, sector and language choices, the suggestions, the page's ids with the total, and the
    rows shown (``mentoring.directory``).

    The results (cards, pagination) come from the cache while the directory is unchanged, the
    filters while the sectors and languages are, with the suggested mentors' rows: then only the
    session, the user and the campaign are read (and the live mentorship, or the suggestions
    when not cached).
    """
    _require_student(request.user)
    # The campaign, and the id of the student's live mentorship in it, in one query.
    campaign = Campaign.objects.current_for_student(request.user)
    if campaign is None or not campaign.is_matching_open():
        return render(request, "mentoring/directory_closed.html", {"campaign": campaign})
    live = None
    if campaign.live_id:  # (withdrawn in between: none)
        live = (
            Mentorship.objects.live_for(request.user, campaign)
            .select_related("enrollment__alumnus")
            .filter(pk=campaign.live_id)
            .first()
        )
    # The directory's versions and the student's suggestions, in one round trip to the cache.
    found = cache.get_many([listing.VERSION_KEY, listing.REFERENCE_KEY, suggestions.cache_key(request.user.pk)])
    suggested = (
        []
        if live
        else suggestions.suggest(request.user, campaign, cached=found.get(suggestions.cache_key(request.user.pk)))
    )
    filters, results, rows = listing.parts(
        request.GET,
        campaign,
        [s.enrollment_id for s in suggested],
        found.get(listing.VERSION_KEY),
        found.get(listing.REFERENCE_KEY),
    )
    return render(
        request,
        "mentoring/directory.html",
        {
            "campaign": campaign,
            "filters": filters,
            "results": results,
            "live": live,
            # A mentor who filled up since the suggestions were cached is left out.
            "suggestions": [
                (rows[s.enrollment_id], s.reasons)
                for s in suggested
                if s.enrollment_id in rows and rows[s.enrollment_id].has_free_places
            ],
            "some_hidden": request.session.get(HIDDEN_SUGGESTIONS_KEY, False),
        },
    )


@login_required
@require_POST
def hide_suggestion(request, pk):
    enrollment = _directory_enrollment(request, pk)
    services.suggestion_hide(student=request.user, enrollment=enrollment)
    request.session[HIDDEN_SUGGESTIONS_KEY] = True
    messages.success(
        request,
        _("%(name)s will not be suggested to you again; they stay in the list of mentors.")
        % {"name": enrollment.alumnus.get_full_name()},
    )
    return redirect("mentoring:directory")


@login_required
@require_POST
def restore_suggestions(request):
    _require_student(request.user)
    restored = services.suggestions_restore(student=request.user)
    request.session.pop(HIDDEN_SUGGESTIONS_KEY, None)
    if restored:
        messages.success(request, _("The mentors you hid can be suggested to you again."))
    else:
        messages.info(request, _("You had not hidden any suggestion."))
    return redirect("mentoring:directory")


def _directory_enrollment(request, pk):
    """A mentor's page is open to students of the campaign, from matching on; else 404."""
    _require_student(request.user)
    campaign = Campaign.objects.current()
    if campaign is None or not campaign.is_matching_open():
        raise Http404
    mentors = (
        MentorEnrollment.objects.directory(campaign)
        .defer("search_vector")
        .select_related("alumnus", "alumnus__alumnus_profile", "alumnus__alumnus_profile__sector")
        # Their sectors (in the reader's language) and languages, named as on their card.
        .annotate(**listing.mentor_names())
    )
    return get_object_or_404(mentors, pk=pk)


@login_required
@require_safe
def mentor_detail(request, pk):
    enrollment = _directory_enrollment(request, pk)
    return _mentor_page(request, enrollment, RequestForm())


@login_required
@require_POST
def choose_mentor(request, pk):
    enrollment = _directory_enrollment(request, pk)
    form = RequestForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            mentorship = services.mentorship_request(
                student=request.user, enrollment=enrollment, message=form.cleaned_data["message"]
            )
        except RuleError as error:
            form.add_error(None, str(error))
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            messages.success(
                request,
                _("Your request has been sent to %(name)s. You will get a mail when they answer.")
                % {"name": enrollment.alumnus.get_full_name()},
            )
            return redirect(mentorship)
    # What the student typed comes back in the form, with the reason it was not sent.
    return _mentor_page(request, enrollment, form, status=status)


def _mentor_page(request, enrollment, form, status=200):
    return render(
        request,
        "mentoring/mentor_detail.html",
        {
            "enrollment": enrollment,
            # None-safe: an alumnus may not have filled in a profile yet.
            "profile": enrollment.alumnus.profile,
            "sector_names": enrollment.sector_names,
            "language_names": enrollment.language_names,
            "live": Mentorship.objects.live_for(request.user, enrollment.campaign).first(),
            "form": form,
        },
        status=status,
    )
