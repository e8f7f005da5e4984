"""Check-in buttons, /checkins, /followups and the follow-up dispatcher job."""
