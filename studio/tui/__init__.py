"""The operator's terminal (Textual). Renders the controller's projection; holds no show logic."""
