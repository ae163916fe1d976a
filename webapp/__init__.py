"""The Telegram Mini App: the views that need the whole picture (a month, a queue, a year), served
by the bot's own web server (bot/web.py). Every API call is signed by Telegram's initData."""
