"""Modal screens: help, confirmation, overlay picker, and the refusal shown to a second tab."""
