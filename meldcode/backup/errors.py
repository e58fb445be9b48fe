class BackupError(Exception):
    """A backup or restore that cannot go on; `str(error)` is a Dutch sentence for the
    beheerder running the command."""
