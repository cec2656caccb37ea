"""What the single sign-on tests share: the school's providers as staff configure them, and the
sign-in flows driven with Django's test client against the real providers of identity_providers."""

from urllib.parse import urlsplit

import requests
from allauth.socialaccount.models import SocialApp
from django.urls import reverse

from accounts.models import SchoolSignOn

SCHOOL = "Lycée Test"


def add_oidc_app(provider, *, name=SCHOOL, provider_id="school", **policy):
    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=name,
        client_id="mentoring-app",
        secret="client-secret",
        settings={"server_url": provider.url},
    )
    SchoolSignOn.objects.create(app=app, **policy)
    return app


def add_saml_app(idp, *, name=SCHOOL, slug="school", use_metadata_url=False, **policy):
    idp_settings = {"entity_id": idp.entity_id}
    if use_metadata_url:
        idp_settings["metadata_url"] = idp.metadata_url
    else:
        idp_settings.update(sso_url=idp.sso_url, x509cert=idp.x509cert)
    app = SocialApp.objects.create(
        provider="saml",
        name=name,
        client_id=slug,
        settings={
            "idp": idp_settings,
            "attribute_mapping": {
                "uid": "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
                "email": "urn:oid:0.9.2342.19200300.100.1.3",
                "first_name": "urn:oid:2.5.4.42",
                "last_name": "urn:oid:2.5.4.4",
            },
            "advanced": {"want_assertion_signed": True},
        },
    )
    SchoolSignOn.objects.create(app=app, **policy)
    return app


def _path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def oidc_sign_in(client, app, sub, *, process="login"):
    """Our sign-in button, the provider's page (``sub`` chosen), then back to our callback."""
    url = reverse("openid_connect_login", kwargs={"provider_id": app.provider_id})
    start = client.post(f"{url}?process={process}")
    assert start.status_code == 302, start.content
    answer = requests.post(start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return client.get(_path(answer.headers["Location"]))


def saml_sign_in(client, app, idp, uid):
    """Our sign-in button, the IdP's page (``uid`` chosen), its POST to our ACS, then the finish."""
    metadata = client.get(reverse("saml_metadata", kwargs={"organization_slug": app.client_id}))
    assert metadata.status_code == 200
    idp.trust(metadata.content.decode())
    start = client.post(reverse("saml_login", kwargs={"organization_slug": app.client_id}))
    assert start.status_code == 302, start.content
    page = requests.get(start["Location"], timeout=10)
    query = dict(part.split("=", 1) for part in urlsplit(start["Location"]).query.split("&"))
    assert page.status_code == 200, page.text
    from urllib.parse import unquote

    form = {"SAMLRequest": unquote(query["SAMLRequest"]), "user": uid}
    if "RelayState" in query:
        form["RelayState"] = unquote(query["RelayState"])
    posted = requests.post(idp.url + "/sso/login", data=form, timeout=20)
    assert posted.status_code == 200, posted.text
    fields = _hidden_fields(posted.text)
    acs = client.post(reverse("saml_acs", kwargs={"organization_slug": app.client_id}), fields)
    assert acs.status_code == 302
    return client.get(acs["Location"])


def _hidden_fields(page):
    import re

    return {
        name: value.replace("&quot;", '"').replace("&amp;", "&")
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
