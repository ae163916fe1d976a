"""All configuration in one typed class, read from the environment and `.env`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DB_PATH = Path("data") / "coordo.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    telegram_api_base_file_url: str | None = None
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
    # PostgreSQL only: keep the tables in this schema (created if missing).
    database_schema: str | None = Field(default=None, pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    timezone: str = "Europe/Paris"
    # Comma-separated Telegram ids; NoDecode keeps pydantic from expecting JSON.
    coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_language: str = "fr"
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 60)
    log_level: str = "INFO"
    # Telegram's limits, used by the outbox sender.
    send_per_chat_per_second: float = Field(default=1.0, gt=0)
    send_per_group_per_minute: float = Field(default=20.0, gt=0)
    send_global_per_second: float = Field(default=30.0, gt=0)
    send_max_attempts: int = Field(default=8, ge=1)

    # Events and recruitment.
    announcement_edit_interval_seconds: float = Field(default=4.0, ge=0.5)
    ask_max_per_person_per_week: int = Field(default=3, ge=1)
    ask_wave_size: int = Field(default=5, ge=1)
    ask_timeout_hours: float = Field(default=24.0, gt=0)
    ics_path: str = "data/agenda.ics"
    # Scheduled jobs not to run on their own clock (names or name prefixes, comma-separated): tests and
    # a second read-only instance drive them explicitly.
    disabled_jobs: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Optional mirror of the agenda in the movement's Google Calendar (empty: off).
    google_calendar_id: str = ""
    google_token_path: str = "secrets/google-token.json"
    google_calendar_api_endpoint: str | None = None

    @field_validator("coordinator_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("attendu : des identifiants Telegram numériques séparés par des virgules")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("disabled_jobs", mode="before")
    @classmethod
    def _split_jobs(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.split(",") if p.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"fuseau horaire inconnu : {value}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _check_db(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("attendu sqlite+aiosqlite:///chemin ou postgresql+asyncpg://…")
        return value

    @field_validator("default_language")
    @classmethod
    def _check_lang(cls, value: str) -> str:
        if value not in ("fr", "en"):
            raise ValueError("fr ou en")
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""

    # Donations and memberships (docs/legal-rules.md). Amounts in euros, as the law states them.
    law_is_party_1988: bool = True
    law_party_cap_eur: Decimal = Field(default=Decimal("7500"), gt=0)
    law_party_warn_eur: Decimal = Field(default=Decimal("6000"), gt=0)
    law_cash_max_eur: Decimal = Field(default=Decimal("150"), gt=0)
    law_campaign_cap_eur: Decimal = Field(default=Decimal("4600"), gt=0)
    law_campaign_cash_share: float = Field(default=0.20, gt=0, le=1)
    law_campaign_cash_ceiling_threshold_eur: Decimal = Field(default=Decimal("15000"), ge=0)
    law_campaign_cash_warn_share: float = Field(default=0.80, gt=0, le=1)
    law_commune_threshold: int = Field(default=9000, ge=0)
    law_cash_split_days: int = Field(default=7, ge=0)
    law_tax_reduction_suspended_until: date | None = None
    law_require_sworn_declaration: bool = True
    membership_fees: dict[str, Decimal] = Field(
        default_factory=lambda: {"standard": Decimal("30"), "réduit": Decimal("10")}
    )
    membership_months: int = Field(default=12, ge=1, le=60)
    fundraising_goal_eur: Decimal | None = Field(default=None, gt=0)
    donations_sheet_id: str = ""
    donations_sheet_tab: str = "Dons"
    donations_google_token_path: str = "data/google_token.json"

    # The shared Gmail inbox (active only when the token file exists, or an API endpoint is set).
    gmail_token_path: str = "secrets/gmail-token.json"
    google_client_secrets_path: str = "secrets/google-client-secrets.json"
    # Another Gmail API root (a local fake for tests and demos); None: Google's.
    gmail_api_endpoint: str | None = None
    # 0 turns the automatic sync off (maintenance, tests that run the job by hand).
    gmail_sync_seconds: int = Field(default=60, ge=0)
    # The first sync only forwards mail of the last days, not the whole mailbox history.
    gmail_first_sync_days: int = Field(default=3, ge=0, le=60)
    inbox_claim_hours: float = Field(default=4.0, gt=0)
    # The same as domain.triage.model.DEFAULT_THRESHOLD (a test checks it), written here so that
    # reading the settings does not load the whole classifier.
    triage_threshold: float = Field(default=0.8, ge=0.0, le=1.0)
    triage_model_path: str = "data/triage_model.json"
    # Appended to answers sent from Telegram; {prenom} is the sender's first name; empty: none.
    inbox_signature: str = "{prenom}\nÀ nous la démocratie !"

    # Personal data and retention (docs/legal-rules.md, sections E and F).
    # A volunteer with no activity for this long (and no role but volunteer) is anonymised (rule 39).
    volunteer_retention_days: int = Field(default=365, ge=30)
    # A former member's link to their Telegram profile is kept this long after their last membership.
    former_member_retention_days: int = Field(default=3 * 365, ge=30)
    # Emails of the shared inbox are deleted this long after they arrived (one-off contact, 2-3 years).
    email_retention_days: int = Field(default=3 * 365, ge=30)
    # Donations, memberships and donor identities: purged after this many years + 1 day, once a
    # treasurer confirms (rule 42).
    financial_retention_years: int = Field(default=10, ge=6)
    # Receipts of expense claims (/frais): financial records, never served publicly (rule 42).
    receipts_dir: str = "data/receipts"
    # Coordinators are reminded of a personal-data request still open after this many days (rule 37).
    data_request_reminder_days: int = Field(default=20, ge=1, le=30)

    # Communication (docs/communication-rules.md). Each channel is optional: empty settings turn it off.
    # The Telegram channel the bot posts to (the bot must be its admin): "@name" or "-100…".
    telegram_channel_id: str = ""
    facebook_graph_url: str = "https://graph.facebook.com/v23.0"  # with the API version
    facebook_page_id: str = ""
    facebook_page_token: SecretStr = SecretStr("")
    mastodon_base_url: str = ""
    mastodon_access_token: SecretStr = SecretStr("")
    # The instance's limit (Mastodon's default is 500).
    mastodon_max_characters: int = Field(default=500, ge=100)
    bluesky_service_url: str = "https://bsky.social"
    bluesky_handle: str = ""
    bluesky_app_password: SecretStr = SecretStr("")
    # X: with all four credentials the bot posts; otherwise it offers a share link a person taps.
    x_consumer_key: SecretStr = SecretStr("")
    x_consumer_secret: SecretStr = SecretStr("")
    x_access_token: SecretStr = SecretStr("")
    x_access_token_secret: SecretStr = SecretStr("")
    x_api_url: str | None = None
    wordpress_url: str = ""
    wordpress_user: str = ""
    wordpress_app_password: SecretStr = SecretStr("")
    # What a post becomes on the site: draft, pending (for review), or publish (future when scheduled).
    wordpress_status: Literal["draft", "pending", "publish"] = "publish"
    # The author of a post may not approve it alone (another person with the communication role must).
    com_author_may_approve: bool = False
    # Polling days the electoral silence and the results rule apply to, beyond the campaign ledgers'
    # own (YYYY-MM-DD, comma-separated: each round).
    election_days: Annotated[list[date], NoDecode] = Field(default_factory=list)
    # Where the public agenda feed (JSON) is written next to the .ics, for the website to embed.
    agenda_json_path: str = "data/agenda.json"

    @field_validator("election_days", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        if isinstance(value, str):
            return [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        return value

    # HelloAsso (docs/helloasso-notes.md): payments are synced when the three are set. The API URL
    # points tests at the local fake; the signature key checks x-ha-signature on notifications.
    helloasso_api_url: str = "https://api.helloasso.com"
    helloasso_client_id: str = ""
    helloasso_client_secret: SecretStr = SecretStr("")
    helloasso_organization_slug: str = ""
    helloasso_signature_key: SecretStr = SecretStr("")
    # The bot's own web server (bot/web.py) in polling mode, for the HelloAsso notification URL.
    web_port: int | None = Field(default=None, ge=1, le=65535)
    # The Mini App (webapp/), served by this same server under /app/: its public HTTPS address
    # (e.g. https://bot.example.org/app/). Set: the bot's menu button opens it. initData older than
    # WEBAPP_AUTH_MAX_AGE_HOURS is refused.
    webapp_url: str | None = None
    webapp_auth_max_age_hours: float = Field(default=24.0, gt=0, le=24 * 30)

    # Webhook mode (instead of long polling) when WEBHOOK_URL is set: the public HTTPS URL Telegram
    # posts updates to, usually a reverse proxy in front of WEBHOOK_LISTEN:WEBHOOK_PORT.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Telegram sends it back in X-Telegram-Bot-Api-Secret-Token; requests without it are refused.
    webhook_secret: SecretStr | None = Field(default=None, validate_default=True)

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("attendu une adresse https://… (l'adresse publique du bot)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        secret = value.get_secret_value() if value is not None else ""
        if info.data.get("webhook_url") and not secret:
            raise ValueError(
                "obligatoire quand WEBHOOK_URL est défini : 1 à 256 caractères parmi A-Z a-z 0-9 _ - "
                "(par exemple la sortie de `openssl rand -hex 32`)"
            )
        if secret and (len(secret) > 256 or not set(secret) <= _SECRET_CHARS):
            raise ValueError("1 à 256 caractères parmi A-Z a-z 0-9 _ - seulement")
        return value if secret else None

    def webhook_secret_value(self) -> str:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else ""


# What Telegram accepts in a webhook's secret_token.
_SECRET_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def describe_error(exc: Exception) -> str:
    """One clear line naming the faulty setting(s), for a start-up failure."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors():
            name = ".".join(str(p) for p in err.get("loc", ())).upper() or "?"
            parts.append(f"{name} : {str(err.get('msg', '')).removeprefix('Value error, ')}")
        return "Configuration invalide — " + " ; ".join(parts)
    return f"Configuration invalide — {exc}"
