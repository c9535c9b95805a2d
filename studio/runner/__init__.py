"""The shell's engine room: scheduler, controller, journal, as-run log."""
