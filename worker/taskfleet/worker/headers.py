"""Message headers beat stamps on scheduled fires, read back by the worker's run recording."""

SCHEDULE = "taskfleet_schedule"
"""The ScheduledTask's ``namespace/name``."""
UID = "taskfleet_uid"
"""The ScheduledTask's uid, telling apart a deleted and re-created resource of the same name."""
DUE = "taskfleet_due"
"""The fire's due time (ISO 8601, UTC), which identifies the fire with the uid."""
