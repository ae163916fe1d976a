"""Pure rules of the communication capability: the election law for public posts, each channel's
limits and preview, texts composed from an event, the week's plan. No I/O, no Telegram types."""
