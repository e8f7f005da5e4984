"""Introduction buttons, question relays and the reminder tick."""
