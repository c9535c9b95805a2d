"""The obs-websocket v5 protocol (rpcVersion 1) over the ``websockets`` library.

Hello (op 0, with an authentication challenge when a password is set), Identify (op 1) ->
Identified (op 2), Reidentify (op 3), Event (op 5), Request (op 6) -> RequestResponse (op 7),
RequestBatch (op 8) -> RequestBatchResponse (op 9). Protocol errors close the socket with
obs-websocket's close codes (4009 on a wrong password). Encodings: JSON (``obswebsocket.json``
or no subprotocol) and, when the ``msgpack`` package is installed, ``obswebsocket.msgpack``
(simpleobsws uses it). Runs on the simulator's own loop; each session has one writer task, so
a request's response always goes out before the events it caused.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import importlib
import json
import logging
import secrets
from collections.abc import Sequence
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from studio.obs.simulator import fields as f
from studio.obs.simulator.model import ALL
from studio.obs.simulator.requests import OBS_WEBSOCKET_VERSION, RPC_VERSION, Context, process

log = logging.getLogger("studio.obs.simulator")

# close codes (obs-websocket WebSocketCloseCode)
UNKNOWN_REASON = 4000
MESSAGE_DECODE_ERROR = 4002
MISSING_DATA_FIELD = 4003
INVALID_DATA_FIELD_TYPE = 4004
INVALID_DATA_FIELD_VALUE = 4005
UNKNOWN_OP_CODE = 4006
NOT_IDENTIFIED = 4007
ALREADY_IDENTIFIED = 4008
AUTHENTICATION_FAILED = 4009
UNSUPPORTED_RPC_VERSION = 4010

JSON_PROTOCOL = Subprotocol("obswebsocket.json")
MSGPACK_PROTOCOL = Subprotocol("obswebsocket.msgpack")


def _msgpack() -> Any:
    """msgpack when installed (simpleobsws brings it); the msgpack encoding is offered only then."""
    try:
        return importlib.import_module("msgpack")
    except ImportError:
        return None


def _b64sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


class ProtocolClose(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Session:
    def __init__(self, ws: ServerConnection, ctx: Context) -> None:
        self.ws = ws
        self.ctx = ctx
        self.msgpack = _msgpack() if ws.subprotocol == MSGPACK_PROTOCOL else None
        self.identified = False
        self.subscriptions = ALL
        self.queue: asyncio.Queue[str | bytes | ProtocolClose] = asyncio.Queue()
        self.challenge = base64.b64encode(secrets.token_bytes(32)).decode()

    def send(self, message: dict[str, Any]) -> None:
        self.ctx.outgoing += 1
        if self.msgpack is not None:
            self.queue.put_nowait(self.msgpack.packb(message))
        else:
            self.queue.put_nowait(json.dumps(message))

    def decode(self, raw: str | bytes) -> Any:
        if self.msgpack is not None:
            if isinstance(raw, str):
                raw = raw.encode()
            return self.msgpack.unpackb(raw, raw=False)
        return json.loads(raw)

    async def writer(self) -> None:
        """Sends responses and events in order; a ProtocolClose closes the socket after them."""
        while True:
            item = await self.queue.get()
            if isinstance(item, ProtocolClose):
                await self.ws.close(item.code, item.reason)
                return
            await self.ws.send(item)


def _select_subprotocol(
    connection: ServerConnection, offered: Sequence[Subprotocol]
) -> Subprotocol | None:
    # obs-websocket speaks JSON when the client names no subprotocol
    if JSON_PROTOCOL in offered:
        return JSON_PROTOCOL
    if MSGPACK_PROTOCOL in offered and _msgpack() is not None:
        return MSGPACK_PROTOCOL
    return None


class ObsWebSocketServer:
    def __init__(self, make_context: Any, password: str) -> None:
        self._make_context = make_context
        self._password = password
        self._salt = base64.b64encode(secrets.token_bytes(32)).decode()
        self._secret = _b64sha256(password + self._salt) if password else ""
        self.sessions: set[Session] = set()
        self._server: Server | None = None

    def __repr__(self) -> str:  # never show the password
        return f"ObsWebSocketServer(sessions={len(self.sessions)})"

    async def start(self, host: str, port: int) -> int:
        self._server = await serve(
            self._handle, host, port, select_subprotocol=_select_subprotocol,
            compression=None, max_size=64 * 1024 * 1024, ping_interval=None,
            logger=log,
        )
        sock = next(iter(self._server.sockets))
        return int(sock.getsockname()[1])

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close(close_connections=True)
        for session in list(self.sessions):
            session.ws.transport.abort()  # clients see the socket drop, as when OBS dies
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)
        self._server = None

    async def flush(self, timeout: float = 2.0) -> None:
        """Wait until every session's queued messages have been handed to its socket."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while any(not s.queue.empty() for s in self.sessions) and loop.time() < deadline:
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)

    def broadcast(self, event_type: str, intent: int, data: dict[str, Any] | None) -> None:
        message: dict[str, Any] = {"op": 5, "d": {"eventType": event_type,
                                                  "eventIntent": intent}}
        if data is not None:
            message["d"]["eventData"] = data
        for session in list(self.sessions):
            if session.identified and session.subscriptions & intent:
                session.send(message)

    # ------------------------------------------------------------------ one client
    async def _handle(self, ws: ServerConnection) -> None:
        session = Session(ws, self._make_context())
        self.sessions.add(session)
        writer = asyncio.get_running_loop().create_task(session.writer())
        try:
            hello: dict[str, Any] = {"obsWebSocketVersion": OBS_WEBSOCKET_VERSION,
                                     "rpcVersion": RPC_VERSION}
            if self._password:
                hello["authentication"] = {"challenge": session.challenge, "salt": self._salt}
            session.send({"op": 0, "d": hello})
            async for raw in ws:
                session.ctx.incoming += 1
                try:
                    await self._on_message(session, raw)
                except ProtocolClose as exc:
                    session.queue.put_nowait(exc)
                    await writer
                    break
        except ConnectionClosed:
            pass
        finally:
            self.sessions.discard(session)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await writer

    async def _on_message(self, session: Session, raw: str | bytes) -> None:
        try:
            message = session.decode(raw)
        except Exception as exc:  # json or msgpack: any undecodable payload
            raise ProtocolClose(MESSAGE_DECODE_ERROR, f"Unable to decode message: {exc}") from None
        if not isinstance(message, dict) or "op" not in message:
            raise ProtocolClose(UNKNOWN_OP_CODE, "Your request is missing an `op`.")
        op = message["op"]
        if isinstance(op, bool) or not isinstance(op, int):
            raise ProtocolClose(UNKNOWN_OP_CODE, "Your `op` is not a number.")
        data = message.get("d")
        if not isinstance(data, dict):
            if data is None:
                raise ProtocolClose(MISSING_DATA_FIELD, "Your payload is missing data (`d`).")
            raise ProtocolClose(INVALID_DATA_FIELD_TYPE,
                                "Your payload's data (`d`) is not an object.")
        if not session.identified and op != 1:
            raise ProtocolClose(
                NOT_IDENTIFIED, "You attempted to send a non-Identify message while not identified."
            )
        if op == 1:
            self._identify(session, data)
        elif op == 3:
            self._session_parameters(session, data)
            session.send({"op": 2, "d": {"negotiatedRpcVersion": RPC_VERSION}})
        elif op == 6:
            self._request(session, data)
        elif op == 8:
            await self._batch(session, data)
        else:
            raise ProtocolClose(UNKNOWN_OP_CODE, f"Unknown OpCode: {op}")

    def _identify(self, session: Session, data: dict[str, Any]) -> None:
        if session.identified:
            raise ProtocolClose(ALREADY_IDENTIFIED,
                                "You are already Identified with the obs-websocket server.")
        if self._password:
            if "authentication" not in data:
                raise ProtocolClose(
                    AUTHENTICATION_FAILED,
                    "Your payload's data is missing an `authentication` string, however "
                    "authentication is required.",
                )
            expected = _b64sha256(self._secret + session.challenge)
            given = data["authentication"]
            if not isinstance(given, str) or not secrets.compare_digest(given, expected):
                raise ProtocolClose(AUTHENTICATION_FAILED, "Authentication failed.")
        if "rpcVersion" not in data:
            raise ProtocolClose(MISSING_DATA_FIELD,
                                "Your payload's data is missing an `rpcVersion`.")
        rpc = data["rpcVersion"]
        if isinstance(rpc, bool) or not isinstance(rpc, int) or rpc < 0:
            raise ProtocolClose(INVALID_DATA_FIELD_TYPE,
                                "Your `rpcVersion` is not an unsigned number.")
        if rpc != RPC_VERSION:
            raise ProtocolClose(UNSUPPORTED_RPC_VERSION,
                                "Your requested RPC version is not supported by this server.")
        self._session_parameters(session, data)
        session.identified = True
        session.send({"op": 2, "d": {"negotiatedRpcVersion": RPC_VERSION}})

    def _session_parameters(self, session: Session, data: dict[str, Any]) -> None:
        if "eventSubscriptions" in data:
            subs = data["eventSubscriptions"]
            if isinstance(subs, bool) or not isinstance(subs, int) or subs < 0:
                raise ProtocolClose(INVALID_DATA_FIELD_TYPE,
                                    "Your `eventSubscriptions` is not an unsigned number.")
            session.subscriptions = subs

    def _request(self, session: Session, data: dict[str, Any]) -> None:
        if "requestId" not in data:
            raise ProtocolClose(MISSING_DATA_FIELD, "Your payload data is missing a `requestId`.")
        result = self._run_one(session, data)
        result["requestId"] = data["requestId"]
        session.send({"op": 7, "d": result})

    def _run_one(self, session: Session, data: dict[str, Any]) -> dict[str, Any]:
        request_type = data.get("requestType")
        if request_type is None:
            code, comment, response = (f.MISSING_REQUEST_TYPE,
                                       "Your request is missing a `requestType`", None)
        else:
            code, comment, response = process(session.ctx, request_type, data.get("requestData"))
        status: dict[str, Any] = {"result": code == f.SUCCESS, "code": code}
        if comment:
            status["comment"] = comment
        result: dict[str, Any] = {"requestType": request_type, "requestStatus": status}
        if response is not None:
            result["responseData"] = response
        return result

    async def _batch(self, session: Session, data: dict[str, Any]) -> None:
        if "requestId" not in data:
            raise ProtocolClose(MISSING_DATA_FIELD, "Your payload data is missing a `requestId`.")
        requests = data.get("requests")
        if requests is None:
            raise ProtocolClose(MISSING_DATA_FIELD, "Your payload data is missing a `requests`.")
        if not isinstance(requests, list):
            raise ProtocolClose(INVALID_DATA_FIELD_TYPE, "Your `requests` is not an array.")
        execution = data.get("executionType", 0)
        if execution is None:
            execution = 0
        if isinstance(execution, bool) or not isinstance(execution, int):
            raise ProtocolClose(INVALID_DATA_FIELD_TYPE, "Your `executionType` is not a number.")
        if execution not in (0, 1, 2):
            raise ProtocolClose(INVALID_DATA_FIELD_VALUE,
                                "Your `executionType` has an invalid value.")
        halt = data.get("haltOnFailure", False)
        if not isinstance(halt, bool):
            raise ProtocolClose(INVALID_DATA_FIELD_TYPE, "Your `haltOnFailure` is not a boolean.")
        if execution == 1:  # serial frame: starts on the next rendered frame
            await asyncio.sleep(session.ctx.switcher.to_next_frame())
        results: list[dict[str, Any]] = []
        for item in requests:
            item = item if isinstance(item, dict) else {}
            if item.get("requestType") == "Sleep":
                result = await self._sleep(session, item, execution)
            else:
                result = self._run_one(session, item)
            if item.get("requestId") is not None:
                result["requestId"] = item["requestId"]
            results.append(result)
            if halt and execution != 2 and not result["requestStatus"]["result"]:
                break
        session.send({"op": 9, "d": {"requestId": data["requestId"], "results": results}})

    async def _sleep(
        self, session: Session, item: dict[str, Any], execution: int
    ) -> dict[str, Any]:
        fields = f.Fields(item.get("requestData"))
        status: dict[str, Any] = {"result": True, "code": f.SUCCESS}
        try:
            if execution == 0:
                await asyncio.sleep(fields.number("sleepMillis", 0, 50000) / 1000.0)
            elif execution == 1:
                frames = fields.number("sleepFrames", 0, 10000)
                await asyncio.sleep(frames * session.ctx.switcher.frame_ms / 1000.0)
            else:
                raise f.RequestError(f.UNSUPPORTED_BATCH_EXECUTION_TYPE)
        except f.RequestError as exc:
            status = {"result": False, "code": exc.code}
            if exc.comment:
                status["comment"] = exc.comment
        return {"requestType": "Sleep", "requestStatus": status}
