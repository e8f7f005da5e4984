"""What the coordinators read about their hub: statistics, unmet demand, maps, the weekly
digest and the funder report. Pure queries over the database; the Telegram handlers and the
command line only parse, call and send."""
