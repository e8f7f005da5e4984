"""Bot API plumbing every feature shares: incoming updates, per-chat order, rendering, the
outbox sender and its rate limits."""
