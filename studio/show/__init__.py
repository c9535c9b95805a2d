"""Pure: the show model, its loader and exports. No textual, obsws_python or apscheduler here."""
