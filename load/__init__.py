"""Load scripts: drive a real server over HTTP and report what reached the database.

Unlike `bench/` (speed against a reference), these check that nothing is lost
under concurrency. They need the PostgreSQL server of the machine notes.
"""
