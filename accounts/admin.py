from allauth.socialaccount.admin import SocialAppAdmin, SocialAppForm
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.validators import slug_re
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from accounts import data_protection
from accounts.imports import PersonResource
from accounts.models import AlumnusProfile, Language, SchoolSignOn, Sector, StudentProfile, User
from accounts.sso import OIDC, SAML, urls_to_register
from core.admin import AuditTrailMixin, act_on_each, titled
from core.errors import RuleError


class StudentProfileInline(admin.StackedInline):
    model = StudentProfile
    can_delete = False
    extra = 0


class AlumnusProfileInline(admin.StackedInline):
    model = AlumnusProfile
    can_delete = False
    extra = 0
    filter_horizontal = ["languages"]


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "role"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditTrailMixin, ImportMixin, BaseUserAdmin):
    # Students and alumni from a CSV or XLSX file, with a preview and each refused row's reason.
    resource_classes = [PersonResource]
    import_formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request):
        return request.user.has_perm("accounts.import_user")

    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role", "is_staff", "is_active", "date_joined", "erased_at"]
    list_filter = ["role", "is_staff", titled("is_active", _("account status")), "groups", "language"]
    actions = ["erase"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "role", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Staff"), {"fields": ["staff_notices"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
        (_("Data protection"), {"fields": ["consents_given", "audit_trail"]}),
    ]
    # Opening a person's page is not reading a confidential record; its changes and the person's
    # data exports are traced.
    audit_reads = False
    readonly_fields = ["erased_at", "consents_given", "audit_trail"]

    @admin.display(description=_("accepted"))
    def consents_given(self, obj):
        """What the person accepted, and when: evidence, never edited."""
        consents = list(obj.consents.all()) if obj is not None and obj.pk else []
        if not consents:
            return "-"
        return format_html_join(
            mark_safe("<br>"),
            "{} {} · {}",
            (
                (c.get_document_display(), c.version, date_format(localtime(c.accepted_at), "DATETIME_FORMAT"))
                for c in consents
            ),
        )

    # What gives access to the admin. The Career Department may correct a person, not grant
    # anyone (itself included) more than its group: only a superuser edits these.
    permission_fields = ["is_staff", "is_superuser", "groups", "user_permissions"]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "usable_password", "password1", "password2"],
            },
        ),
    ]
    inlines = [StudentProfileInline, AlumnusProfileInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting a person would take their mentorships, road-books and evaluations with them, and
        # the programme's statistics; the "erase" action takes out their personal data instead.
        return False

    def has_erase_permission(self, request):
        return request.user.has_perm("accounts.erase_user")

    @admin.action(description=_("Erase the personal data of the selected people"), permissions=["erase"])
    def erase(self, request, queryset):
        """The erasure a person can ask for from their profile, run by staff, after a page that
        says what it does and who can't be erased yet."""
        people = list(queryset.filter(erased_at__isnull=True))
        if "apply" in request.POST:
            # As the confirmation page said: erasing one person (a student leaving their mentor)
            # never makes another erasable in the same go.
            waiting = {person.pk: data_protection.blockers(person) for person in people}

            def erase(person):
                if waiting[person.pk]:
                    raise RuleError(" ".join(waiting[person.pk]))
                data_protection.user_erase(user=person)

            act_on_each(
                self,
                request,
                people,
                erase,
                lambda done: ngettext("%(count)s person erased.", "%(count)s people erased.", done) % {"count": done},
                name=lambda person: person.email,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "opts": self.model._meta,
            "people": [(person, data_protection.blockers(person)) for person in people],
            "queryset": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/erase.html", context)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.permission_fields
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Permissions one by one are not how the department works: it does not even see them.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "user_permissions"]})
            for name, options in fieldsets
        ]

    def get_inlines(self, request, obj):
        # A person has the profile of their role, and staff only have none.
        if obj is None:
            return []
        return [inline for inline in self.inlines if inline.model is obj.profile_model]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "name_fr"]
    list_editable = ["name_fr"]
    search_fields = ["name", "name_fr"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


# --- School single sign-on: allauth's social applications, with the school's policy -------------


class SchoolSignOnInline(admin.StackedInline):
    model = SchoolSignOn
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name_plural = _("Who must use it, and how a new person's role is told")


class SchoolSocialAppForm(SocialAppForm):
    """allauth's form, restricted to the school's kinds of provider, with each one's settings checked
    here rather than failing at someone's sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(OIDC, "OpenID Connect"), (SAML, "SAML 2.0")]
        self.fields["settings"].help_text = _(
            'OpenID Connect: {"server_url": "https://login.microsoftonline.com/TENANT-ID/v2.0"}. '
            'SAML: {"idp": {"entity_id": "…", "metadata_url": "…"}}. The README gives the steps for each school.'
        )

    def clean(self):
        data = super().clean()
        provider, conf = data.get("provider"), data.get("settings")
        if conf is not None and not isinstance(conf, dict):
            self.add_error("settings", _("Enter an object in braces: {…}."))
            return data
        conf = conf or {}
        if provider == OIDC:
            if not data.get("provider_id"):
                self.add_error("provider_id", _("OpenID Connect needs a provider ID: a short name such as school."))
            elif not slug_re.fullmatch(data["provider_id"]):
                self.add_error("provider_id", _("Use letters, digits, - and _ only: it is part of a URL."))
            if not _is_web_url(conf.get("server_url")):
                self.add_error("settings", _('OpenID Connect needs "server_url": the issuer\'s https:// address.'))
        elif provider == SAML:
            idp = conf.get("idp")
            if not isinstance(idp, dict) or not idp.get("entity_id"):
                self.add_error("settings", _('SAML needs "idp" with the provider\'s "entity_id".'))
            elif not _is_web_url(idp.get("metadata_url")) and not (
                _is_web_url(idp.get("sso_url")) and idp.get("x509cert")
            ):
                self.add_error(
                    "settings", _('SAML needs the provider\'s "metadata_url", or its "sso_url" and "x509cert".')
                )
            if data.get("client_id") and not slug_re.fullmatch(data["client_id"]):
                self.add_error("client_id", _("Use letters, digits, - and _ only: it is part of a URL."))
            # People's accounts at this IdP are told apart from another IdP's by the provider ID.
            if not data.get("provider_id") and data.get("client_id"):
                data["provider_id"] = data["client_id"]
        self._check_unique(provider, data)
        return data

    def _check_unique(self, provider, data):
        """Two providers answering at the same URL would make every sign-in through them fail."""
        field = {OIDC: "provider_id", SAML: "client_id"}.get(provider)
        if not field or not data.get(field) or self.has_error(field):
            return
        others = SocialApp.objects.filter(provider=provider, **{field: data[field]}).exclude(pk=self.instance.pk)
        if others.exists():
            self.add_error(field, _("Another provider of this kind already uses this name."))


def _is_web_url(value):
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class SchoolSocialAppAdmin(SocialAppAdmin):
    form = SchoolSocialAppForm
    list_display = ["name", "provider", "provider_id", "client_id"]
    readonly_fields = ["urls_to_register"]
    inlines = [SchoolSignOnInline]

    @admin.display(description=_("Addresses to register at the provider"))
    def urls_to_register(self, obj):
        urls = urls_to_register(obj) if obj and obj.pk else {}
        if not urls:
            return _("Shown once the provider is saved.")
        return format_html_join(mark_safe("<br>"), "{}: <code>{}</code>", urls.items())
