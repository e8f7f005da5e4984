"""Makers' own commands: /requests, /pause, /resume, /profile."""
