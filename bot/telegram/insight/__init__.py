"""Coordinators' figures: /stats, /unmet, /map, /report and the weekly digest job."""
