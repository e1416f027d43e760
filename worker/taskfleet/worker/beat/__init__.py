"""Celery beat for taskfleet: a scheduler that reads the schedule store, led by one replica."""
