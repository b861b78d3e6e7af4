"""A campaign's question: what it asks every force, read and checked in pure Python.

Its schema (``schema``), the periods it covers (``periods``), its age bands
(``ages``) and the vocabularies its categories come from (``vocab``, ``builtin``,
with the built-in lists under ``data/vocabularies``). Both apps import it: the
requests app to create and edit a campaign, the replies app to read the answers.
It imports no Django and neither app (docs/architecture.md).
"""
