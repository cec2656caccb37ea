"""School single sign-on through allauth's openid_connect and saml providers.

Staff add the school's identity provider in the admin (an allauth social application) with its
policy (``SchoolSignOn``). A first sign-in creates the account with the address the provider
asserts, verified, and the role from the configured claim or from the e-mail domain; a person who
already has an account with that address is signed in to it, and the provider stays connected to
it (allauth's e-mail authentication, settings.SOCIALACCOUNT_*).
"""

import logging
from contextlib import suppress
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SchoolSignOn, User
from accounts.rules import is_school_email

logger = logging.getLogger(__name__)

OIDC, SAML = "openid_connect", "saml"


def urls_to_register(app):
    """What the school registers at its provider for this application: absolute URLs of the site."""
    site = settings.SITE_URL
    if app.provider == SAML:
        org = {"organization_slug": app.client_id}
        return {
            _("SP metadata (entity ID)"): site + reverse("saml_metadata", kwargs=org),
            _("Assertion consumer service (HTTP-POST)"): site + reverse("saml_acs", kwargs=org),
            _("Single logout service (HTTP-Redirect)"): site + reverse("saml_sls", kwargs=org),
        }
    if app.provider == OIDC and app.provider_id:
        return {_("Redirect URI"): site + reverse("openid_connect_callback", kwargs={"provider_id": app.provider_id})}
    return {}


def policy_of(app):
    """The app's policy; an unsaved default one (nobody is obliged, role by domain) when staff set none."""
    if app.pk:
        with suppress(SchoolSignOn.DoesNotExist):
            return app.school_sign_on
    return SchoolSignOn(role_claim="")


def providers_required_for(user):
    """The school's providers this person must sign in with (empty: the password still works)."""
    if user.is_superuser or not (user.is_student or user.is_staff or user.role == User.Role.STAFF):
        return []
    policies = SchoolSignOn.objects.select_related("app").filter(app__provider__in=(OIDC, SAML))
    return [policy.app for policy in policies if policy.applies_to(user)]


def students_must_use_sso():
    """The providers students must sign in with: sign-up with a password is closed to them."""
    policies = SchoolSignOn.objects.select_related("app").filter(students_must_use=True, app__provider__in=(OIDC, SAML))
    return [policy.app for policy in policies]


def _claim_values(provider, extra_data, name):
    """The values of a claim (OpenID Connect: user info, then the ID token) or of a SAML attribute."""
    sources = [extra_data] if provider == SAML else [extra_data.get("userinfo") or {}, extra_data.get("id_token") or {}]
    for source in sources:
        if isinstance(source, dict) and name in source:
            value = source[name]
            if value is None:
                return []
            return list(value) if isinstance(value, list | tuple) else [value]
    return []


def role_for(app, extra_data, email):
    """A new person's role: from the policy's claim when it names one, else from the e-mail domain."""
    policy = policy_of(app)
    if policy.role_claim:
        role = policy.role_for(_claim_values(app.provider, extra_data, policy.role_claim))
        if role:
            return role
    return User.Role.STUDENT if is_school_email(email) else User.Role.ALUMNUS


def _address_taken(email):
    return (
        User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()
    )


class SchoolSignOnAdapter(DefaultSocialAccountAdapter):
    def _refuse(self, request, message):
        messages.error(request, message)
        raise ImmediateHttpResponse(redirect("account_login"))

    def pre_social_login(self, request, sociallogin):
        """Before anyone is signed in: the school's rules for the person the provider vouches for."""
        provider = sociallogin.provider
        user = sociallogin.user
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # A signed-in person connects their school account to their own: allauth's rules apply.
            return
        if sociallogin.is_existing:
            if user.is_superuser:
                # A superuser repairs what a provider breaks: never signed in by one.
                logger.warning("single sign-on refused for superuser %s through %s", user.pk, provider.name)
                self._refuse(
                    request,
                    _("This account signs in with its password, not with %(provider)s.") % {"provider": provider.name},
                )
            return
        verified = [a.email for a in sociallogin.email_addresses if a.verified]
        if not verified:
            self._refuse(
                request,
                _(
                    "%(provider)s did not tell us a verified e-mail address for you, so no account can be opened. "
                    "Ask your school's IT service, or sign up with your e-mail address."
                )
                % {"provider": provider.name},
            )
        email = verified[0]
        if _address_taken(email):
            # Not found for sign-in (stored with capitals, say), yet the address is someone's: no
            # second account, and no sign-up form where the person would pick a role themselves.
            self._refuse(
                request,
                _(
                    "An account with the address %(email)s exists but cannot be signed in to. "
                    "Ask the Alumni Career Department."
                )
                % {"email": email},
            )
        role = role_for(provider.app, sociallogin.account.extra_data, email)
        if role == User.Role.STUDENT and not is_school_email(email):
            domains = ", ".join("@" + d for d in settings.STUDENT_EMAIL_DOMAINS)
            self._refuse(
                request,
                _("Students use their school address (%(domains)s); %(provider)s gave %(email)s.")
                % {"domains": domains, "provider": provider.name, "email": email},
            )
        user.role = role

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # Names are bounded by our columns; a provider may send longer ones.
        user.first_name = (user.first_name or "")[:150]
        user.last_name = (user.last_name or "")[:150]
        if user.email:
            user.email = user.email.lower()
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        # Pages that show a person read their profile; it exists from the start, empty.
        user.get_or_create_profile()
        logger.info("account %s opened through %s as %s", user.pk, sociallogin.provider.name, user.role)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        logger.warning(
            "single sign-on through %s failed: %s %r %s",
            getattr(provider, "name", provider),
            error,
            exception,
            (extra_context or {}).get("saml_last_error_reason", ""),
        )
        super().on_authentication_error(request, provider, error, exception, extra_context)


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def form_targets():
    """The origins the sign-in forms may be sent on to: where each provider's sign-in starts."""
    origins = set()
    for app in SocialApp.objects.filter(provider__in=(OIDC, SAML)):
        conf = app.settings if isinstance(app.settings, dict) else {}
        if app.provider == OIDC:
            origins.add(_origin(conf.get("server_url")))
            origins.add(_origin((conf.get("openid_configuration_overrides") or {}).get("authorization_endpoint")))
            continue
        idp = conf.get("idp") or {}
        origins.add(_origin(idp.get("sso_url")))
        if idp.get("metadata_url"):
            origins.add(_origin(idp["metadata_url"]))
            from allauth.socialaccount.providers.saml.utils import fetch_metadata_url_config

            try:
                sso = fetch_metadata_url_config(idp)["idp"]["singleSignOnService"]["url"]
            except Exception as error:  # the provider's metadata is unreachable or wrong: the log says so
                logger.warning("SAML metadata of %s unreadable: %s", app.name, error)
            else:
                origins.add(_origin(sso))
    origins.discard(None)
    return sorted(origins)


class SignOnFormTargetsMiddleware:
    """The sign-in forms (allauth's pages) are posted to our provider login views, which redirect to
    the school's provider; the CSP's form-action covers redirects too, so those pages name them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("account_login").rsplit("/", 2)[0] + "/"

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(self.prefix) and response.get("Content-Type", "").startswith("text/html"):
            targets = form_targets()
            if targets:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *targets]
                response._csp_update = update
        return response
