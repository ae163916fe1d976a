"""`coordo google-login`: connect the bot to the movement's Gmail once (OAuth consent, installed app).

A plain @gmail.com account cannot use a service account: a person signs in once in a browser and
the refresh token is stored (0600) where GMAIL_TOKEN_PATH says. Run it again whenever the bot
says Google refused its token; the running bot picks the new file up without a restart.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

SECRETS_HELP = (
    "Fichier d'identifiants OAuth introuvable : {path}\n"
    "Pour le créer : console Google Cloud (https://console.cloud.google.com/) → API et services → "
    "Bibliothèque : activez « Gmail API » ; puis Identifiants → Créer des identifiants → ID client OAuth → "
    "type « Application de bureau ». Téléchargez le JSON, posez-le sur le serveur du bot et indiquez son "
    "chemin dans GOOGLE_CLIENT_SECRETS_PATH (fichier .env) ou avec --client-secrets."
)
SECRETS_INVALID = (
    "Le fichier {path} n'est pas un fichier d'identifiants OAuth « Application de bureau » ({why}). "
    "Retéléchargez-le depuis la console Google Cloud (Identifiants → votre ID client → Télécharger le JSON)."
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "google-login",
        help="connecter le bot au Gmail du mouvement (une fois, dans un navigateur)",
        description="Autorise le bot à lire, étiqueter et envoyer les courriels du compte Gmail du mouvement.",
    )
    parser.add_argument(
        "--client-secrets", metavar="FICHIER", help="identifiants OAuth (défaut : GOOGLE_CLIENT_SECRETS_PATH)"
    )
    parser.add_argument(
        "--token", metavar="FICHIER", help="où enregistrer le jeton (défaut : GMAIL_TOKEN_PATH)"
    )
    parser.add_argument(
        "--host", default="localhost", help="adresse de retour du navigateur (défaut : localhost)"
    )
    parser.add_argument("--port", type=int, default=8080, help="port de retour du navigateur (défaut : 8080)")
    parser.add_argument("--browser", action="store_true", help="ouvrir le navigateur de cette machine")
    parser.add_argument(
        "--timeout", type=int, default=600, metavar="SECONDES", help="attente maximale (défaut : 600)"
    )
    parser.add_argument(
        "--status", action="store_true", help="afficher le jeton enregistré, sans se connecter"
    )
    parser.set_defaults(func=run)


# Other features' token settings: one consent covers Gmail, Calendar and Sheets (SCOPES), so the
# same token is written wherever a feature expects it.
OTHER_TOKEN_SETTINGS = ("google_token_path", "donations_google_token_path")


def _paths(args: argparse.Namespace) -> tuple[Path, list[Path]] | int:
    secrets, token = args.client_secrets, args.token
    copies: list[Path] = []
    if secrets is None or token is None:
        from bot.settings import Settings, describe_error

        try:
            settings = Settings()
        except ValidationError as exc:
            print(describe_error(exc), file=sys.stderr)
            return 2
        secrets = secrets or settings.google_client_secrets_path
        if token is None:
            token = settings.gmail_token_path
            copies = [Path(str(v)) for name in OTHER_TOKEN_SETTINGS if (v := getattr(settings, name, None))]
    main = Path(token)
    return Path(secrets), [main, *dict.fromkeys(c for c in copies if c != main)]


def check_client_secrets(path: Path) -> str | None:
    """Why the client secrets file cannot be used (French), or None."""
    if not path.is_file():
        return SECRETS_HELP.format(path=path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return SECRETS_INVALID.format(path=path, why=f"JSON illisible : {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("installed"), dict):
        kind = next(iter(data), "?") if isinstance(data, dict) and data else "?"
        return SECRETS_INVALID.format(path=path, why=f"section « installed » absente, trouvé « {kind} »")
    missing = [
        k for k in ("client_id", "client_secret", "auth_uri", "token_uri") if not data["installed"].get(k)
    ]
    if missing:
        return SECRETS_INVALID.format(path=path, why="champs manquants : " + ", ".join(missing))
    return None


def run(args: argparse.Namespace) -> int:
    from integrations.google_auth import GoogleAuthError, run_consent_flow, save_credentials, token_file_info

    paths = _paths(args)
    if isinstance(paths, int):
        return paths
    secrets, tokens = paths
    token = tokens[0]
    if args.status:
        try:
            info = token_file_info(token)
        except (OSError, ValueError) as exc:
            print(
                f"Aucun jeton utilisable dans {token} ({exc}). Lancez « coordo google-login ».",
                file=sys.stderr,
            )
            return 1
        print(f"Jeton : {token}")
        for key, value in info.items():
            print(f"  {key} : {value}")
        return 0
    problem = check_client_secrets(secrets)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    print(
        "Connexion du bot au Gmail du mouvement.\n"
        f"1. Si ce serveur est distant, ouvrez d'abord un tunnel : ssh -L {args.port}:localhost:{args.port} <serveur>\n"
        "2. Ouvrez le lien ci-dessous, connectez-vous avec le compte Gmail du mouvement et acceptez les autorisations.\n"
        f"   (attente : {args.timeout} s au plus ; Ctrl+C pour abandonner)",
        flush=True,
    )
    try:
        creds = run_consent_flow(
            secrets,
            token,
            open_browser=args.browser,
            host=args.host,
            port=args.port,
            timeout_seconds=args.timeout,
        )
    except GoogleAuthError as exc:
        print(
            f"Google n'a pas donné d'accès durable : {exc}. Recommencez et acceptez toutes les autorisations.",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        print(
            f"Impossible d'attendre le retour du navigateur sur {args.host}:{args.port} ({exc}). "
            "Choisissez un autre port avec --port.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Connexion abandonnée : rien n'a été enregistré.", file=sys.stderr)
        return 1
    except Exception as exc:
        # oauthlib: access refused in the browser, state mismatch, no answer within the timeout.
        print(
            f"La connexion n'a pas abouti ({type(exc).__name__} : {exc}). Recommencez « coordo google-login ».",
            file=sys.stderr,
        )
        return 1
    written = [token]
    for copy in tokens[1:]:
        try:
            save_credentials(creds, copy)
            written.append(copy)
        except OSError as exc:
            print(f"Attention : impossible d'écrire aussi {copy} ({exc}).", file=sys.stderr)
    where = ", ".join(str(t) for t in written)
    print(
        f"Jeton enregistré dans {where} (lisible par vous seul·e). Le bot l'utilise dès son prochain relevé, "
        "sans redémarrage."
    )
    return 0
