"""The operator's screen, by area: header, on air, next up, rundown, graphics, log."""
