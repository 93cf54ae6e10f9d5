"""LINE Official Account webhook and chat intake (line-bot-sdk v3). Not built yet."""
