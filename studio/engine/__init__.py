"""Pure: timeline, operator actions, desired OBS state and the diff into commands.

No textual, obsws_python or apscheduler here (the pure-core contract in .importlinter checks it).
"""
