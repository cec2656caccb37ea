from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportMixin
from import_export.formats import base_formats

from accounts.imports import PersonResource
from accounts.models import AlumnusProfile, Language, Sector, StudentProfile, User
from core.admin import titled


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
class UserAdmin(ImportMixin, BaseUserAdmin):
    # Students and alumni from a CSV or XLSX file, with a preview and each refused row's reason.
    resource_classes = [PersonResource]
    import_formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request):
        return request.user.has_perm("accounts.import_user")

    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "role", "is_staff", "is_active", "date_joined"]
    list_filter = ["role", "is_staff", titled("is_active", _("account status")), "groups", "language"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "role", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Staff"), {"fields": ["staff_notices"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
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
        if obj is None or obj.profile_model is None:
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
