"""Sub-commands of ``spok-bot``; each module exposes ``register(subparsers)``."""
