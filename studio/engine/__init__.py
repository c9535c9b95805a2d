"""Pure: timeline, operator actions, desired OBS state and the diff into commands.

No textual, obsws_python or apscheduler here (tests/unit/test_import_contract.py checks it).
"""
