"""The foundation floor: value types and helpers every stage shares.

``Finding`` (an identifier found), the attribution types (``Attribution``,
``Evidence``), the kind vocabulary of the customer index, masking, and the
identifier validators (check digits, Luhn, MRZ). Nothing here imports a
stage or a front end: only :mod:`crossguard.errors` and third-party code.
"""
