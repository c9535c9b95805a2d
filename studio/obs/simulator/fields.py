"""Request-field validation with obs-websocket 5.1.0's status codes and comments."""

from __future__ import annotations

from typing import Any

SUCCESS = 100
UNKNOWN_REQUEST_TYPE = 204
MISSING_REQUEST_FIELD = 300
MISSING_REQUEST_DATA = 301
INVALID_REQUEST_FIELD_TYPE = 401
REQUEST_FIELD_OUT_OF_RANGE = 402
REQUEST_FIELD_EMPTY = 403
OUTPUT_RUNNING = 500
OUTPUT_NOT_RUNNING = 501
STUDIO_MODE_NOT_ACTIVE = 506
RESOURCE_NOT_FOUND = 600
RESOURCE_ALREADY_EXISTS = 601
INVALID_RESOURCE_TYPE = 602
INVALID_INPUT_KIND = 605
CANNOT_ACT = 703
MISSING_REQUEST_TYPE = 203
UNSUPPORTED_BATCH_EXECUTION_TYPE = 206


class RequestError(Exception):
    """A request OBS refuses: its status code and (optional) comment."""

    def __init__(self, code: int, comment: str = "") -> None:
        super().__init__(comment or str(code))
        self.code = code
        self.comment = comment


class Fields:
    """The ``requestData`` of one request, validated the way obs-websocket does it."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def has(self, name: str) -> bool:
        return isinstance(self.data, dict) and self.data.get(name) is not None

    def _get(self, name: str) -> Any:
        if not isinstance(self.data, dict):
            raise RequestError(MISSING_REQUEST_DATA,
                               "Your request data is missing or invalid (non-object)")
        if self.data.get(name) is None:
            raise RequestError(MISSING_REQUEST_FIELD,
                               f"Your request is missing the `{name}` field.")
        return self.data[name]

    def string(self, name: str, *, allow_empty: bool = False) -> str:
        value = self._get(name)
        if not isinstance(value, str):
            raise RequestError(INVALID_REQUEST_FIELD_TYPE,
                               f"The field value of `{name}` must be a string.")
        if not value and not allow_empty:
            raise RequestError(REQUEST_FIELD_EMPTY,
                               f"The field value of `{name}` must not be empty.")
        return value

    def number(self, name: str, lo: float | None = None, hi: float | None = None) -> float:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RequestError(INVALID_REQUEST_FIELD_TYPE,
                               f"The field value of `{name}` must be a number.")
        if lo is not None and value < lo:
            raise RequestError(REQUEST_FIELD_OUT_OF_RANGE,
                               f"The field value of `{name}` is below the minimum of `{lo:f}`")
        if hi is not None and value > hi:
            raise RequestError(REQUEST_FIELD_OUT_OF_RANGE,
                               f"The field value of `{name}` is above the maximum of `{hi:f}`")
        return float(value)

    def integer(self, name: str, lo: float | None = None, hi: float | None = None) -> int:
        return int(self.number(name, lo, hi))

    def boolean(self, name: str) -> bool:
        value = self._get(name)
        if not isinstance(value, bool):
            raise RequestError(INVALID_REQUEST_FIELD_TYPE,
                               f"The field value of `{name}` must be boolean.")
        return value

    def obj(self, name: str) -> dict[str, Any]:
        value = self._get(name)
        if not isinstance(value, dict):
            raise RequestError(INVALID_REQUEST_FIELD_TYPE,
                               f"The field value of `{name}` must be an object.")
        return value
