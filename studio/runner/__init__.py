"""The shell's engine room: scheduler, controller, journal, as-run log.

Each module's docstring says what it owns: its own state, or none (functions over another's).
"""
