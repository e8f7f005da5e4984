"""The coordinators' catalogue desk: uploads, /export, /maker, /stale, /outreach."""
