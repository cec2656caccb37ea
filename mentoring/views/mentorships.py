"""One mentorship: its page, the mentor's answer, the student's withdrawal, the message thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import RuleError
from core.ratelimit import RateLimited
from mentoring import contributions, directory, permissions, services
from mentoring.forms import DeclineForm, MessageForm
from mentoring.models import Mentorship


def get_mentorship_for_user(user, pk):
    """The mentorship if ``user`` may open it; 404 for anyone else, who must not learn it exists."""
    queryset = Mentorship.objects.for_user(user).select_related(
        "student__student_profile",
        "enrollment__alumnus__alumnus_profile",
        "enrollment__alumnus__alumnus_profile__sector",
        "campaign",
    )
    # The mentor's sectors and languages come with the row (the mentor's card on the page).
    names = {f"mentor_{name}": value for name, value in directory.mentor_names("enrollment_id").items()}
    return get_object_or_404(queryset.annotate(**names), pk=pk)


def _page(request, mentorship, *, message_form=None, decline_form=None, status=200):
    user = request.user
    return render(
        request,
        "mentoring/mentorship.html",
        {
            "mentorship": mentorship,
            "is_student": mentorship.is_student(user),
            "can_answer": permissions.can_answer_request(user, mentorship),
            "can_withdraw": permissions.can_withdraw_request(user, mentorship),
            # None-safe: an alumnus may not have filled in a profile yet.
            "mentor_profile": mentorship.mentor.profile,
            "mentor_sector_names": getattr(mentorship, "mentor_sector_names", None),
            "mentor_language_names": getattr(mentorship, "mentor_language_names", None),
            "thread": mentorship.messages.select_related("author"),
            "message_form": message_form or MessageForm(),
            "decline_form": decline_form or DeclineForm(),
            "sections": (
                contributions.render_all(contributions.mentorship_sections, request, mentorship)
                if mentorship.shares_contacts
                else []
            ),
            "can_post": permissions.can_post_message(user, mentorship),
        },
        status=status,
    )


@login_required
@require_safe
def mentorship_detail(request, pk):
    return _page(request, get_mentorship_for_user(request.user, pk))


@login_required
@require_POST
def accept(request, pk):
    mentorship = get_mentorship_for_user(request.user, pk)
    try:
        services.mentorship_accept(mentorship=mentorship, mentor=request.user)
    except RuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are now %(name)s's mentor.") % {"name": mentorship.student.get_full_name()})
    return redirect(mentorship)


@login_required
@require_POST
def decline(request, pk):
    mentorship = get_mentorship_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.mentorship_decline(mentorship=mentorship, mentor=request.user, reason=form.cleaned_data["reason"])
        except RuleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The request has been declined; the student has been told why."))
        return redirect(mentorship)
    return _page(request, mentorship, decline_form=form)


@login_required
@require_POST
def withdraw(request, pk):
    mentorship = get_mentorship_for_user(request.user, pk)
    try:
        services.mentorship_withdraw(mentorship=mentorship, student=request.user)
    except RuleError as error:
        messages.error(request, str(error))
        return redirect(mentorship)
    messages.success(request, _("Your request has been withdrawn. You can choose another mentor."))
    return redirect("mentoring:directory")


@login_required
@require_POST
def post_message(request, pk):
    mentorship = get_mentorship_for_user(request.user, pk)
    form = MessageForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.message_post(mentorship=mentorship, author=request.user, body=form.cleaned_data["body"])
        except RuleError as error:
            form.add_error(None, str(error))
            status = 429 if isinstance(error, RateLimited) else 200
        else:
            # A double click finds the message already posted: the same answer as the first.
            messages.success(request, _("Message sent."))
            return redirect(mentorship.get_absolute_url() + "#thread")
    return _page(request, mentorship, message_form=form, status=status)
