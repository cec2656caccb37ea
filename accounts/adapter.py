from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Fills the fields of our user model that allauth does not know about."""

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.role = data["role"]
        user.language = data.get("language") or user.language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # Pages that show a person read their profile; it exists from the start, empty.
            user.get_or_create_profile()
        return user
