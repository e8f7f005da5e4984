"""Hub and role commands: invites, /invite, /bindhub, group migration."""
