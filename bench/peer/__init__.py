"""The comparison with the peer (Presidio): its virtualenv, the workers, name lookup, scoring."""
