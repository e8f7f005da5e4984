"""Hubs and who may do what in them: the hub registry (``registry``), roles
(``access``), invite links (``invites``), coordinators' notices (``notices``) and the
desk behind the hub commands (``desk``)."""
