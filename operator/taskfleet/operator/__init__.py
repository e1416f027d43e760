"""The taskfleet operator: reconciles ScheduledTask resources into the schedule store and reports
each schedule's runs back on the resource's status. Built on kopf; ``python -m
taskfleet.operator`` (or ``taskfleet operator``) runs it."""
