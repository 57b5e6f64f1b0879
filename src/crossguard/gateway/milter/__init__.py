"""A milter (Sendmail 8 mail filter protocol, version 6) for Postfix and Sendmail."""
