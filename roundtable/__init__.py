"""Roundtable: co-produced public safety for a police agency and its community."""
