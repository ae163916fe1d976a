"""`python -m bot com post`: the same publishing path, JSON output, and the same --key twice."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.cli import com
from bot.settings import Settings
from sandbox.platforms import FakeBlueskyPDS, FakeGraph, FakeMastodon, FakeWordPress

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def fakes() -> Iterator[dict[str, Any]]:
    with FakeGraph() as graph, FakeMastodon() as masto, FakeBlueskyPDS() as pds, FakeWordPress() as wp:
        yield {"facebook": graph, "mastodon": masto, "bluesky": pds, "wordpress": wp}


@pytest.fixture
def settings(db_target: Any, fakes: dict[str, Any]) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token=SecretStr("123:abc"),
        database_url=db_target.url,
        database_schema=db_target.schema,
        facebook_graph_url=fakes["facebook"].graph_url,
        facebook_page_id=fakes["facebook"].page_id,
        facebook_page_token=SecretStr("page-token"),
        mastodon_base_url=fakes["mastodon"].url,
        mastodon_access_token=SecretStr("masto-token"),
        bluesky_service_url=fakes["bluesky"].url,
        bluesky_handle=fakes["bluesky"].handle,
        bluesky_app_password=SecretStr("abcd-efgh-ijkl-mnop"),
        wordpress_url=fakes["wordpress"].url,
        wordpress_user="coordo",
        wordpress_app_password=SecretStr("abcd EFGH 1234 ijkl MNOP 5678"),
    )


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    com.add_parser(parser.add_subparsers())
    return parser.parse_args(argv)


def counts(fakes: dict[str, Any]) -> dict[str, int]:
    return {
        "facebook": len(fakes["facebook"].posts),
        "mastodon": len(fakes["mastodon"].statuses),
        "bluesky": len(fakes["bluesky"].records),
        "wordpress": len(fakes["wordpress"].posts),
    }


def run(settings: Settings, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = com.execute(parse(["com", "post", *argv]), settings)
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip().startswith("{") else out, err


def test_post_json_then_same_key_posts_nothing_new(
    settings: Settings, fakes: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--channels", "mastodon,facebook,wordpress,bluesky,x", "--text", "Réunion publique jeudi"]
    argv += ["--title", "Réunion", "--key", "cli-1", "--format", "json"]
    code, out, _ = run(settings, capsys, *argv)
    assert code == 0
    by_channel = {p["channel"]: p for p in out["posts"]}
    for channel in ["mastodon", "facebook", "wordpress", "bluesky"]:
        assert by_channel[channel]["status"] == "published", by_channel[channel]
        assert by_channel[channel]["url"] and by_channel[channel]["error"] is None
    # X without credentials: a share link, never "published".
    assert by_channel["x"]["status"] == "skipped"
    assert by_channel["x"]["url"].startswith("https://x.com/intent/post?")
    assert counts(fakes) == {"facebook": 1, "mastodon": 1, "bluesky": 1, "wordpress": 1}
    assert fakes["wordpress"].posts[next(iter(fakes["wordpress"].posts))].title == "Réunion"

    code2, again, _ = run(settings, capsys, *argv)
    assert code2 == 0 and again == out
    assert counts(fakes) == {"facebook": 1, "mastodon": 1, "bluesky": 1, "wordpress": 1}


def test_a_failed_channel_exits_non_zero(
    settings: Settings, fakes: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    fakes["facebook"].revoke("page-token")
    code, out, _ = run(
        settings, capsys, "--channels", "facebook,mastodon", "--text", "Bonjour", "--format", "json"
    )
    assert code == 1
    by_channel = {p["channel"]: p for p in out["posts"]}
    assert by_channel["facebook"]["status"] == "failed" and "190" in by_channel["facebook"]["error"]
    assert by_channel["mastodon"]["status"] == "published"


def test_with_an_image_and_a_time(
    settings: Settings, fakes: dict[str, Any], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    image = tmp_path / "stand.png"
    image.write_bytes(PNG)
    code, out, _ = run(
        settings,
        capsys,
        *["--channels", "mastodon", "--text", "Le stand", "--image", str(image)],
        *["--confirm", "image_rights", "--format", "json"],
    )
    assert code == 0 and out["posts"][0]["status"] == "published"
    status = next(iter(fakes["mastodon"].statuses.values()))
    assert len(status.media_ids) == 1
    code, out, _ = run(
        settings,
        capsys,
        "--channels",
        "mastodon",
        "--text",
        "Plus tard",
        "--at",
        "demain 18h",
        "--format",
        "json",
    )
    assert code == 0 and out == {
        "posts": [{"channel": "mastodon", "status": "scheduled", "url": None, "error": None}]
    }
    assert len(fakes["mastodon"].statuses) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--channels", "myspace", "--text", "x"], "canal inconnu"),
        (["--channels", "mastodon", "--text", "   "], "texte du message est vide"),
        (
            ["--channels", "mastodon", "--text", "x", "--image", "/nulle/part.png"],
            "impossible de lire l'image",
        ),
        (["--channels", "mastodon", "--text", "x", "--at", "n'importe quand"], "date illisible"),
        (["--channels", "mastodon", "--text", "x", "--confirm", "rien"], "règle inconnue"),
    ],
)
def test_bad_input_is_refused_in_french_and_stores_nothing(
    settings: Settings,
    fakes: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    code, out, err = run(settings, capsys, *argv, "--format", "json")
    assert code == 2 and out == "" and message in err
    assert counts(fakes)["mastodon"] == 0
    assert not Path(settings.database_url.rpartition("///")[2]).exists() or settings.database_schema


def test_the_same_key_with_another_text_is_refused_not_reported_as_done(
    settings: Settings, fakes: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrected text under an old --key: nothing is posted, and the command says so (exit 2,
    French error), never "published" with the first text's link."""
    first = ["--channels", "mastodon", "--text", "Réunion jeudi 18h", "--key", "k1", "--format", "json"]
    code, out, _ = run(settings, capsys, *first)
    assert code == 0 and counts(fakes)["mastodon"] == 1
    second = ["--channels", "mastodon", "--text", "Réunion jeudi 19h (corrigé)", "--key", "k1"]
    code, out, err = run(settings, capsys, *second, "--format", "json")
    assert counts(fakes)["mastodon"] == 1
    assert code == 2 and "déjà servi" in err and "published" not in str(out), (code, out, err)
    # The very same request again is still the idempotent retry (exit 0, the first run's link).
    code, out, _ = run(settings, capsys, *first)
    assert code == 0 and out["posts"][0]["status"] == "published" and counts(fakes)["mastodon"] == 1
