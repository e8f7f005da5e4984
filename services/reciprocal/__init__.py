"""Reciprocal ranking: who is likely to say yes, not only who can make it (no Telegram code).

* :mod:`.model` is the pure P(yes | maker, brief): quantity against minimum order, deadline
  against lead time, whom they work with, this week's load against the weekly cap, and what
  their answers taught (response rate shrunk towards the hub's, "fully booked" decaying,
  "not our kind of work" for similar requests);
* :mod:`.history` folds introductions into each maker's history (pure; fed by :mod:`.store`
  from the database, or by the market simulation);
* :mod:`.clients` reads the designer's kind of client from the profile;
* :mod:`.rerank` re-orders the capability ranking's candidates within their tiers and leaves
  out makers at their cap; :class:`services.matchmaking.Matchmaker` calls it;
* :mod:`.explain` turns a maker's reciprocity into words on the card;
* :mod:`.market` is ``spok-bot simulate market``: N weeks of a fictional hub, today's ranking
  and the reciprocal one side by side on the same seed.
"""
