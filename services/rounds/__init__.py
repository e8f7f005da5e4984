"""Matchmaking rounds: a hub's coordinators pair many designers with many makers at once.

The steps, one module each:

* :mod:`.desk` – the coordinator's ``/round`` (create a round, choose its makers with their
  capacities, open sign-up, close it now, move a designer, approve) and the job that closes
  rounds whose sign-up window ended;
* :mod:`.join` – a designer's brief entering a round through its link (the designer dialogue
  calls it; see ``services/dialogue``);
* :mod:`.scoring` – expected_yes(maker, brief), the one interface the pairing needs, with
  today's scorer (the capability ranking's score, fits only);
* :mod:`.solver` – the pairing of greatest total expected yes within every maker's capacity
  (scipy's ``linear_sum_assignment``);
* :mod:`.pairing` – proposing, moving and approving: approval sends every pair through the
  normal introduction lifecycle (:func:`services.introductions.submit_request`).

The round's own figures for ``/stats`` and the funder report are in
:mod:`services.insight.rounds`. Texts: ``services/data/rounds.{sv,en}.toml``.
"""
