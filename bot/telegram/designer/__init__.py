"""The designer conversation on Telegram: updates in, dialogue replies out."""
