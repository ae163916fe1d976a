"""Texts of the communication capability, publishing: outcomes per channel, failures explained with what to do, the command line (merged into bot.texts)."""

# Non-breaking spaces (docs/french-style.md) are written \u00a0.
FR: dict[str, str] = {
    "compub.channel.telegram": "la chaîne Telegram",
    "compub.channel.facebook": "la Page Facebook",
    "compub.channel.mastodon": "Mastodon",
    "compub.channel.bluesky": "Bluesky",
    "compub.channel.x": "X",
    "compub.channel.wordpress": "le site",
    "compub.done": "Message n°\u00a0{post} publié\u00a0:\n{lines}",
    "compub.done_line": "• {channel}\u00a0: {url}",
    "compub.done_line_failed": "• {channel}\u00a0: non publié (voir le message précédent)",
    "compub.done_line_skipped": "• {channel}\u00a0: rien n'a été posté",
    "compub.fail_token_facebook": (
        "Message n°\u00a0{post}\u00a0: Facebook refuse le jeton de la Page (erreur 190\u00a0: expiré ou révoqué). "
        "Rien n'a été publié sur Facebook.\n"
        "Pour le renouveler\u00a0: dans l'Explorateur de l'API Graph (developers.facebook.com/tools/explorer), "
        "choisissez l'application et la Page, demandez un jeton de Page avec les droits pages_manage_posts "
        "et pages_read_engagement, prolongez-le dans l'outil de débogage des jetons, puis copiez-le dans "
        "FACEBOOK_PAGE_TOKEN du fichier .env et redémarrez le bot. Touchez ensuite «\u00a0Republier\u00a0».{detail}"
    ),
    "compub.fail_auth": (
        "Message n°\u00a0{post}\u00a0: {channel} refuse nos identifiants (jeton ou mot de passe expiré ou faux). "
        "Rien n'a été publié là. Vérifiez le jeton ou le mot de passe d'application dans le fichier .env "
        "({settings}), redémarrez le bot, puis touchez «\u00a0Republier\u00a0».{detail}"
    ),
    "compub.fail_rejected": (
        "Message n°\u00a0{post}\u00a0: {channel} refuse le contenu (texte trop long, image refusée…). "
        "Rien n'a été publié là. Modifiez le message puis soumettez-le de nouveau, "
        "ou touchez «\u00a0Republier\u00a0» si c'était passager.{detail}"
    ),
    "compub.fail_unavailable": (
        "Message n°\u00a0{post}\u00a0: {channel} ne répond pas après {attempts}\u00a0{attempts:plural:essai:essais}. "
        "Rien n'a été publié là. Réessayez plus tard avec «\u00a0Republier\u00a0».{detail}"
    ),
    "compub.uncertain_telegram": (
        "Message n°\u00a0{post}\u00a0: je ne sais pas s'il est parti sur la chaîne Telegram (la connexion a été "
        "coupée pendant l'envoi). Je ne le renvoie pas, pour ne pas le publier deux fois. "
        "Regardez la chaîne\u00a0: s'il n'y est pas, touchez «\u00a0Republier\u00a0»."
    ),
    "compub.fail_uncertain": (
        "Message n°\u00a0{post}\u00a0: je ne sais toujours pas s'il est parti sur {channel} "
        "(vérifié {attempts}\u00a0fois). Je ne le renvoie pas, pour ne pas le publier deux fois. "
        "Regardez sur {channel}\u00a0: s'il n'y est pas, touchez «\u00a0Republier\u00a0».{detail}"
    ),
    "compub.fail_image": (
        "Message n°\u00a0{post}\u00a0: je n'arrive pas à lire ses images (fichier disparu ou "
        "illisible). Rien n'a été publié. Remplacez les images puis soumettez-le de nouveau, "
        "ou touchez «\u00a0Republier\u00a0».{detail}"
    ),
    "compub.detail": "\nDétail\u00a0: {detail}",
    "btn.compub_republish": "Republier",
    "compub.republish_not_team": (
        "Seule l'équipe communication peut republier un message. Demandez à un ou une responsable "
        "de la communication."
    ),
    "compub.republish_unknown": "Ce message n'existe plus. Ouvrez /brouillon pour voir les messages en cours.",
    "compub.republish_nothing": "Message n°\u00a0{post}\u00a0: aucun canal en échec, rien à republier.",
    "compub.republish_not_approved": (
        "Message n°\u00a0{post}\u00a0: il n'est plus approuvé. Ouvrez-le, modifiez-le si besoin puis "
        "soumettez-le de nouveau."
    ),
    "compub.republish_done": (
        "Message n°\u00a0{post}\u00a0: nouvel essai fait. Canaux publiés\u00a0: {published}, "
        "en échec\u00a0: {failed}."
    ),
    "compub.row_not_configured": "non configuré",
    "compub.row_share": "non publiée, à partager à la main",
    "compub.row_removed": "retiré avant l'envoi",
    "compub.preview_images": "• {channel}\u00a0: {sent}\u00a0{sent:plural:image:images} sur {attached} (les premières)",
    "compub.cli_key_conflict": (
        "Erreur\u00a0: la clé «\u00a0{name}\u00a0» a déjà servi pour un autre message (n°\u00a0{post}), "
        "rien n'a été publié. Prenez une nouvelle clé pour un texte corrigé."
    ),
    "compub.not_configured": "{channel} n'est pas configuré (voir .env.example)\u00a0: rien n'a été posté là.",
    "compub.x_share": (
        "Message n°\u00a0{post}\u00a0: aucun compte X n'est relié au bot, rien n'a été posté sur X. "
        "Pour le poster, touchez le bouton depuis le compte du mouvement."
    ),
    "btn.compub_x_share": "Poster sur X",
    "compub.law_block": (
        "Message n°\u00a0{post}\u00a0: non publié, la loi l'interdit tel quel ({article}). "
        "Modifiez-le puis soumettez-le de nouveau."
    ),
    "compub.law_pause": (
        "Message n°\u00a0{post}\u00a0: mis en attente au moment de le publier ({article}). "
        "Ouvrez-le pour décider."
    ),
    "btn.compub_open": "Ouvrir le message",
    "compub.cli_unknown_channel": "Erreur\u00a0: canal inconnu\u00a0: {channel}. Canaux possibles\u00a0: {known}.",
    "compub.cli_no_text": "Erreur\u00a0: le texte du message est vide (--text).",
    "compub.cli_no_channel": "Erreur\u00a0: aucun canal donné (--channels).",
    "compub.cli_image": "Erreur\u00a0: impossible de lire l'image {path} ({reason}).",
    "compub.cli_empty": "fichier vide",
    "compub.cli_when": "Erreur\u00a0: date illisible ou passée\u00a0: «\u00a0{when}\u00a0». Exemple\u00a0: «\u00a0demain 18h00\u00a0».",
    "compub.cli_rule": "Erreur\u00a0: règle inconnue pour --confirm\u00a0: {rule}. Règles possibles\u00a0: {known}.",
    "compub.cli_paused": "en attente\u00a0: {rule} (confirmer avec --confirm {rule} si c'est permis)",
    "compub.cli_line": "{channel}\u00a0: {status} {url}{error}",
}

EN: dict[str, str] = {
    "compub.channel.telegram": "the Telegram channel",
    "compub.channel.facebook": "the Facebook Page",
    "compub.channel.mastodon": "Mastodon",
    "compub.channel.bluesky": "Bluesky",
    "compub.channel.x": "X",
    "compub.channel.wordpress": "the website",
    "compub.done": "Post no. {post} published:\n{lines}",
    "compub.done_line": "• {channel}: {url}",
    "compub.done_line_failed": "• {channel}: not published (see the previous message)",
    "compub.done_line_skipped": "• {channel}: nothing was posted",
    "compub.fail_token_facebook": (
        "Post no. {post}: Facebook refuses the Page token (error 190: expired or revoked). "
        "Nothing was published on Facebook.\n"
        "To renew it: in the Graph API Explorer (developers.facebook.com/tools/explorer), pick the app and "
        "the Page, request a Page token with pages_manage_posts and pages_read_engagement, extend it in the "
        "Access Token Debugger, then copy it into FACEBOOK_PAGE_TOKEN in the .env file and restart the bot. "
        "Then tap “Republish”.{detail}"
    ),
    "compub.fail_auth": (
        "Post no. {post}: {channel} refuses our credentials (token or password expired or wrong). "
        "Nothing was published there. Check the token or app password in the .env file ({settings}), "
        "restart the bot, then tap “Republish”.{detail}"
    ),
    "compub.fail_rejected": (
        "Post no. {post}: {channel} refuses the content (text too long, image refused…). "
        "Nothing was published there. Edit the post then submit it again, or tap “Republish” if it was "
        "temporary.{detail}"
    ),
    "compub.fail_unavailable": (
        "Post no. {post}: {channel} does not answer after {attempts} {attempts:plural:attempt:attempts}. "
        "Nothing was published there. Try again later with “Republish”.{detail}"
    ),
    "compub.uncertain_telegram": (
        "Post no. {post}: I do not know whether it reached the Telegram channel (the connection dropped "
        "while sending). I am not sending it again, so that it is never posted twice. "
        "Look at the channel: if it is not there, tap “Republish”."
    ),
    "compub.fail_uncertain": (
        "Post no. {post}: I still do not know whether it reached {channel} (checked {attempts} {attempts:plural:time:times}). "
        "I am not sending it again, so that it is never posted twice. Look at {channel}: if it is not "
        "there, tap “Republish”.{detail}"
    ),
    "compub.fail_image": (
        "Post no. {post}: I cannot read its images (file gone or unreadable). Nothing was published. "
        "Replace the images then submit it again, or tap “Republish”.{detail}"
    ),
    "compub.detail": "\nDetail: {detail}",
    "btn.compub_republish": "Republish",
    "compub.republish_not_team": "Only the communication team can republish a post. Ask a communication lead.",
    "compub.republish_unknown": "This post no longer exists. Open /brouillon to see the current posts.",
    "compub.republish_nothing": "Post no. {post}: no failed channel, nothing to republish.",
    "compub.republish_not_approved": (
        "Post no. {post}: it is no longer approved. Open it, edit it if needed, then submit it again."
    ),
    "compub.republish_done": "Post no. {post}: tried again. Channels published: {published}, failed: {failed}.",
    "compub.row_not_configured": "not configured",
    "compub.row_share": "not posted, to share by hand",
    "compub.row_removed": "removed before sending",
    "compub.preview_images": "• {channel}: {sent} {sent:plural:image:images} out of {attached} (the first ones)",
    "compub.cli_key_conflict": (
        "Error: the key “{name}” was already used for another post (no. {post}), nothing was published. "
        "Use a new key for a corrected text."
    ),
    "compub.not_configured": "{channel} is not configured (see .env.example): nothing was posted there.",
    "compub.x_share": (
        "Post no. {post}: no X account is linked to the bot, nothing was posted on X. "
        "To post it, tap the button from the movement's account."
    ),
    "btn.compub_x_share": "Post on X",
    "compub.law_block": (
        "Post no. {post}: not published, the law forbids it as it is ({article}). "
        "Edit it then submit it again."
    ),
    "compub.law_pause": "Post no. {post}: held at publication time ({article}). Open it to decide.",
    "btn.compub_open": "Open the post",
    "compub.cli_unknown_channel": "Error: unknown channel: {channel}. Possible channels: {known}.",
    "compub.cli_no_text": "Error: the post's text is empty (--text).",
    "compub.cli_no_channel": "Error: no channel given (--channels).",
    "compub.cli_image": "Error: cannot read the image {path} ({reason}).",
    "compub.cli_empty": "empty file",
    "compub.cli_when": "Error: unreadable or past date: “{when}”. Example: “demain 18h00”.",
    "compub.cli_rule": "Error: unknown rule for --confirm: {rule}. Possible rules: {known}.",
    "compub.cli_paused": "held: {rule} (confirm with --confirm {rule} if it is allowed)",
    "compub.cli_line": "{channel}: {status} {url}{error}",
}
