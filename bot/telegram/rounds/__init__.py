"""Matchmaking rounds: the coordinators' /round, the round card's buttons, the closing job."""
