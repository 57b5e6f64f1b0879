"""What the HTTP front ends share: the running app's state, request errors, the review queue.

The JSON API (:mod:`crossguard.api`) and the dashboard (:mod:`crossguard.web`)
both build on this package and never import each other; :mod:`crossguard.app`
puts them together in one application.
"""
