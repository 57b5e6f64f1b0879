"""Verification without e-mail: signed, single-use upload links for identity documents.

A campaign gives each listed customer a personal link (:mod:`links`); the
customer uploads a photo or PDF of an ID on a server-rendered page; the upload
is checked (:mod:`intake`), encrypted at rest, read by the ID-image pipeline and
matched against the customer index (:mod:`reading`); a reviewer decides, and the
document and everything read from it are purged (:mod:`items`, :mod:`purge`).
Import the parts from their modules; this package stays light.
"""
