"""Backups that restore: `backup_create` writes one dated folder, `backup_restore` puts it
back into an empty database and media folder and checks that everything came back.

A backup folder holds the database (a `pg_dump` in custom format, or the SQLite file of
the demo), the private attachments as one tar file, and `manifest.json`: the SHA-256 of
every file, the row count of every table, the checksum of every attachment and the audit
trail's heads. With `BACKUP_AGE_RECIPIENT` set, the database and attachment files are
encrypted with age (files.py says why age); the manifest stays readable and holds no
personal data.
"""
