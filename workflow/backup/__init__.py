"""Backups that restore: one archive with the database, the evidence files and the audit head
(``vinhdanh backup`` / ``vinhdanh restore``)."""

from workflow.backup.archive import BackupError, BackupSummary, create_backup, restore_backup

__all__ = ["BackupError", "BackupSummary", "create_backup", "restore_backup"]
