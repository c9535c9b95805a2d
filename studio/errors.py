"""The one error type every layer may raise for a problem the user can fix.

``studio.cli`` prints it as one line (``studio COMMAND: error: ...``), never a traceback. It lives
at the bottom of the layers so that the service and the surfaces, which sit below the command
line, can raise it without importing ``studio.cli``.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; printed as one line."""
