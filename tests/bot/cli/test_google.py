"""`coordo google-login`: clear French errors, and the consent flow against a fake Google."""

from __future__ import annotations

import json
import stat
import webbrowser
from pathlib import Path

import pytest

from bot.__main__ import main
from integrations.google_auth import CredentialStore
from sandbox.google import FakeBrowser, FakeTokenEndpoint


def test_missing_client_secrets_explains_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "google-login",
            "--client-secrets",
            str(tmp_path / "absent.json"),
            "--token",
            str(tmp_path / "t.json"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "introuvable" in err and "Application de bureau" in err and "GOOGLE_CLIENT_SECRETS_PATH" in err
    assert not (tmp_path / "t.json").exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{pas du json", "JSON illisible"),
        (json.dumps({"web": {"client_id": "x"}}), "« installed » absente, trouvé « web »"),
        (
            json.dumps({"installed": {"client_id": "x"}}),
            "champs manquants : client_secret, auth_uri, token_uri",
        ),
    ],
)
def test_wrong_client_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, why: str
) -> None:
    secrets = tmp_path / "client.json"
    secrets.write_text(content, encoding="utf-8")
    assert main(["google-login", "--client-secrets", str(secrets), "--token", str(tmp_path / "t.json")]) == 2
    assert why in capsys.readouterr().err


def test_consent_flow_stores_a_private_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake token endpoint is plain http
    browser = FakeBrowser("coordo-cli-test-browser")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    with FakeTokenEndpoint() as tokens:
        secrets = tokens.write_client_secrets(tmp_path / "client.json")
        token = tmp_path / "secrets" / "gmail-token.json"
        code = main(
            [
                "google-login",
                "--client-secrets",
                str(secrets),
                "--token",
                str(token),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--browser",
                "--timeout",
                "10",
            ]
        )
        for thread in browser.threads:
            thread.join(5)
        assert not browser.errors
        out = capsys.readouterr().out
        assert code == 0, out
        assert "Jeton enregistré" in out and "ssh -L" in out
        assert stat.S_IMODE(token.stat().st_mode) == 0o600
        assert json.loads(token.read_text())["refresh_token"].startswith("1//fake-refresh-")
        assert (CredentialStore(token, token_uri=tokens.token_uri)().token or "").startswith("ya29.fake-")

    assert main(["google-login", "--status", "--token", str(token), "--client-secrets", str(secrets)]) == 0
    assert "client_id" in capsys.readouterr().out
    assert (
        main(["google-login", "--status", "--token", str(tmp_path / "none.json"), "--client-secrets", "x"])
        == 1
    )
    assert "Aucun jeton" in capsys.readouterr().err


def test_one_login_serves_every_google_feature(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --token, the token goes where Gmail, Calendar and the donations sheet expect it."""
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    browser = FakeBrowser("coordo-cli-test-browser-2")
    monkeypatch.setattr(webbrowser, "get", lambda using=None: browser)
    with FakeTokenEndpoint() as tokens:
        monkeypatch.setenv(
            "GOOGLE_CLIENT_SECRETS_PATH", str(tokens.write_client_secrets(tmp_path / "c.json"))
        )
        monkeypatch.setenv("GMAIL_TOKEN_PATH", str(tmp_path / "gmail.json"))
        monkeypatch.setenv("GOOGLE_TOKEN_PATH", str(tmp_path / "calendar.json"))
        assert (
            main(["google-login", "--host", "127.0.0.1", "--port", "0", "--browser", "--timeout", "10"]) == 0
        )
        for thread in browser.threads:
            thread.join(5)
    capsys.readouterr()
    for name in ("gmail.json", "calendar.json"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert json.loads((tmp_path / "gmail.json").read_text()) == json.loads(
        (tmp_path / "calendar.json").read_text()
    )
