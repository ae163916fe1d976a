"""The movement's public voice (docs/communication-rules.md): requests to the communication team,
posts suggested from events, drafts approved in chat, and publication exactly once on each channel.

| module | what it does |
| --- | --- |
| ``requests`` | /com and /demandes_com: requests, their cards (claim, assign, done, refuse), reminders, escalation, an email turned into a request |
| ``drafts`` | /brouillon: a post written or edited in chat, its per-channel preview, the law's questions, approval and scheduling |
| ``publishing`` | the publication ledger: each post on each channel exactly once, retries, uncertain outcomes, failures explained |
| ``channels`` | the adapters built from the settings (Telegram channel, Facebook, Mastodon, Bluesky, X, WordPress) |
| ``metrics`` | reach figures read back from the platforms |
| ``suggestions`` | posts suggested from public events (announce, recall, recap with photos), site needs |
| ``planning`` | /calendrier_com, the communication digest and the weekly summary, the silence window's pauses |

Pure rules (the law, the channels' limits, texts composed from an event) live in ``domain.communication``.
"""
