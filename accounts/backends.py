"""Django's model backend, reading a person's permissions in one query a request, not two.

``ModelBackend`` reads the permissions given to the person and those of their groups in two
queries, the first time a request asks (the Career Department's pages ask on every request:
``accounts.permissions``). This backend reads both in one, and caches them where Django does.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from accounts.models import User


class OneQueryPermissionsBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                perms = Permission.objects.all()
            else:
                own = User.user_permissions.through.objects.filter(user_id=user_obj.pk).values("permission_id")
                grouped = Group.permissions.through.objects.filter(group__user=user_obj.pk).values("permission_id")
                perms = Permission.objects.filter(Q(pk__in=own) | Q(pk__in=grouped))
            names = perms.values_list("content_type__app_label", "codename").order_by()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache
