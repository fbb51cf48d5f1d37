"""A real OpenID Connect provider in a child process (oidc_idp.py), with an RSA key made for
the test run, and the Cadre side of it: a network's provider set up through the service."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cadre.testing import child_environment
from cadre.tests.processes import free_port, wait_for_http

IDP_USERS = ["alice@contoso.test", "bob@contoso.test", "carol@contoso.test", "mo@northwind.test"]


@dataclass
class OidcProvider:
    url: str
    client_id: str
    client_secret: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"


def rsa_private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    port = free_port()
    client_id, client_secret = "cadre-test", secrets.token_urlsafe(24)
    callbacks = " ".join(
        f"{scheme}://testserver/accounts/oidc/{slug}/login/callback/"
        for scheme in ("http", "https")
        for slug in ("northwind-contoso", "northwind-contoso-2")
    )
    env = child_environment(
        IDP_PORT=str(port),
        IDP_DB=str(Path(tmp_path_factory.mktemp("idp")) / "idp.sqlite3"),
        IDP_RSA_KEY=rsa_private_key_pem(),
        IDP_CLIENT_ID=client_id,
        IDP_CLIENT_SECRET=client_secret,
        IDP_REDIRECT_URI=callbacks,
        IDP_USERS=",".join(IDP_USERS),
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = Path(__file__).with_name("oidc_idp.py")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{url}/login/", process)
        yield OidcProvider(url, client_id, client_secret)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(autouse=True)
def _patient_provider_calls(settings: Any) -> None:
    # The provider runs on this machine beside other test processes: wait for it longer than
    # production's 5 seconds, so a busy machine does not look like a provider that is down.
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 30
