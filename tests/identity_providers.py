"""Real identity providers for the single sign-on tests, served on 127.0.0.1 by the tests themselves.

- ``oidc_provider``: the ``oidc-provider-mock`` OpenID Connect provider (authlib underneath): discovery,
  authorization code, token, user info, JWKS. It can be told to issue ID tokens for another audience,
  signed with its own key, as a provider answering for another application would.
- ``saml_idp``: a SAML 2.0 IdP built with pysaml2, which signs its responses and assertions with
  Debian's xmlsec1: metadata, single sign-on (HTTP-Redirect in, HTTP-POST out) and a page to choose
  who signs in.

Nothing of allauth is replaced: the app talks to these servers over HTTP as it would to the school's.
"""

import datetime
import html
import json
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import jwt
import oidc_provider_mock
import werkzeug.serving
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

XMLSEC1 = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"


@contextmanager
def _serve(wsgi_app):
    """Serves a WSGI application on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


# --- OpenID Connect ------------------------------------------------------------------------------


@dataclass
class OidcProvider:
    url: str
    # When set, the token endpoint's ID tokens name this audience instead of the client's.
    other_audience: str | None = None


@contextmanager
def oidc_provider(users):
    """``users``: {sub: claims}. Each one signs in with one click on the provider's page."""
    # authlib refuses plain HTTP unless told otherwise; the provider is on the loopback only.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    app = oidc_provider_mock.app(
        require_nonce=False,
        user_claims=[oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in users.items()],
    )
    state = OidcProvider(url="")

    @app.after_request
    def _for_another_audience(response):
        import flask
        from authlib.jose import jwt as jose_jwt
        from oidc_provider_mock._storage import storage

        if state.other_audience and flask.request.path == "/oauth2/token" and response.status_code == 200:
            body = json.loads(response.get_data())
            claims = jwt.decode(body["id_token"], options={"verify_signature": False})
            claims["aud"] = state.other_audience
            key = storage.jwk
            header = {"alg": "RS256", "kid": key.as_dict()["kid"]}
            body["id_token"] = jose_jwt.encode(header, claims, key).decode()
            response.set_data(json.dumps(body))
        return response

    with _serve(app) as url:
        state.url = url
        yield state


# --- SAML 2.0 ------------------------------------------------------------------------------------


def _key_and_certificate(directory, common_name):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = os.path.join(directory, "idp.key"), os.path.join(directory, "idp.crt")
    with open(key_file, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    with open(cert_file, "w") as f:
        f.write(cert_pem)
    return key_file, cert_file, cert_pem


@dataclass
class SamlIdP:
    url: str
    users: dict
    directory: str
    cert_pem: str = ""
    sp_metadata: list = field(default_factory=list)
    # When set, responses are signed with this other key pair: an answer the app must not trust.
    forged_key: tuple | None = None

    @property
    def entity_id(self):
        return self.url + "/metadata"

    @property
    def metadata_url(self):
        return self.url + "/metadata"

    @property
    def sso_url(self):
        return self.url + "/sso/redirect"

    @property
    def x509cert(self):
        return "".join(line for line in self.cert_pem.splitlines() if "CERTIFICATE" not in line)

    def trust(self, sp_metadata_xml):
        """Registers a service provider from its metadata (as a school's IdP administrator would)."""
        self.sp_metadata.append(sp_metadata_xml)

    def forge_signatures(self):
        forged = tempfile.mkdtemp(dir=self.directory)
        key_file, cert_file, _pem = _key_and_certificate(forged, "forger")
        self.forged_key = (key_file, cert_file)

    def server(self):
        from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
        from saml2.config import IdPConfig
        from saml2.saml import NAME_FORMAT_URI
        from saml2.server import Server

        key_file, cert_file = self.forged_key or (
            os.path.join(self.directory, "idp.key"),
            os.path.join(self.directory, "idp.crt"),
        )
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "key_file": key_file,
                "cert_file": cert_file,
                "xmlsec_binary": XMLSEC1,
                "metadata": {"inline": list(self.sp_metadata)},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)],
                        },
                        "sign_response": True,
                        "sign_assertion": True,
                        "want_authn_requests_signed": False,
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 15},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                    }
                },
            }
        )
        return Server(config=config), BINDING_HTTP_POST, BINDING_HTTP_REDIRECT

    def wsgi(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if path == "/metadata":
                from saml2.metadata import entity_descriptor

                server, _post, _redirect = self.server()
                body, ctype = str(entity_descriptor(server.config)), "text/xml"
            elif path == "/sso/redirect" and method == "GET":
                body, ctype = self._choose_page(parse_qs(environ.get("QUERY_STRING", ""))), "text/html"
            elif path == "/sso/login" and method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                form = parse_qs(environ["wsgi.input"].read(length).decode())
                body, ctype = self._respond(form), "text/html"
            else:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
        except Exception as error:  # the test reads the IdP's own error page
            start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
            return [f"IdP error: {error!r}".encode()]
        start_response("200 OK", [("Content-Type", f"{ctype}; charset=utf-8")])
        return [body.encode()]

    def _choose_page(self, query):
        server, _post, redirect = self.server()
        request = server.parse_authn_request(query["SAMLRequest"][0], redirect)
        assert request.message is not None
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query[name][0])}">'
            for name in ("SAMLRequest", "RelayState")
            if name in query
        )
        buttons = "".join(
            f'<button type="submit" name="user" value="{html.escape(uid)}">{html.escape(uid)}</button>'
            for uid in self.users
        )
        return f'<!DOCTYPE html><title>School IdP</title><h1>School IdP</h1><form method="post" action="/sso/login">{hidden}{buttons}</form>'

    def _respond(self, form):
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
        from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

        server, post, redirect = self.server()
        request = server.parse_authn_request(form["SAMLRequest"][0], redirect).message
        args = server.response_args(request)
        uid = form["user"][0]
        name_id = NameID(
            format=NAMEID_FORMAT_PERSISTENT,
            sp_name_qualifier=args["sp_entity_id"],
            name_qualifier=self.entity_id,
            text=uid,
        )
        response = server.create_authn_response(
            dict(self.users[uid]),
            userid=uid,
            name_id=name_id,
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"},
            sign_response=True,
            sign_assertion=True,
            # SHA-256, as Shibboleth signs; python3-saml refuses SHA-1.
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **{k: v for k, v in args.items() if k != "binding"},
        )
        relay_state = form.get("RelayState", [""])[0]
        http_args = server.apply_binding(post, str(response), args["destination"], relay_state, response=True)
        return http_args["data"]


@contextmanager
def saml_idp(users):
    """``users``: {uid: attributes by friendly name (mail, givenName, sn, eduPersonAffiliation…)},
    sent in the URI form Shibboleth uses (urn:oid:…)."""
    directory = tempfile.mkdtemp(prefix="saml-idp-")
    try:
        _key, _cert, cert_pem = _key_and_certificate(directory, "School IdP")
        idp = SamlIdP(url="", users=users, directory=directory, cert_pem=cert_pem)
        with _serve(idp.wsgi) as url:
            idp.url = url
            yield idp
    finally:
        shutil.rmtree(directory, ignore_errors=True)
