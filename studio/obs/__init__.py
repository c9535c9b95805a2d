"""The shell's OBS side: gateway (the one owner of obs-websocket), provisioning, pre-flight,
and the built-in simulator."""
