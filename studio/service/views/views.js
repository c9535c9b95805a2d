/* studio views: the connection to the show service's events WebSocket, shared by /presenter and
 * /rundown. Read-only: nothing here ever sends an action. The page is told the state (and the
 * moment it arrived); without a state for STALE_MS it says "not connected" and reconnects, so a
 * stale countdown is never shown. Until the first state it says "connecting" (what a phone shows
 * in its first second is no alarm): NOT CONNECTED only once the socket failed, was lost, or
 * brought no state within STALE_MS of the page's start. */
"use strict";
var Studio = (function () {
  var STALE_MS = 3000, RETRY_MIN = 250, RETRY_MAX = 2000;
  var token = new URLSearchParams(location.search).get("token");
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    "/api/v1/events" + (token ? "?token=" + encodeURIComponent(token) : "");
  var ws = null, lastAt = 0, online = false, retry = RETRY_MIN, render = null;
  var last = null, lastRecv = 0, connecting = true, startedAt = 0;

  function setOnline(yes) {
    online = yes;
    connecting = false;
    document.body.classList.remove("connecting");
    document.getElementById("connecting").hidden = true;
    document.body.classList.toggle("offline", !yes);
    document.getElementById("conn").hidden = yes;
  }
  function drop() {
    if (ws) { ws.onclose = ws.onmessage = ws.onerror = null; try { ws.close(); } catch (e) {} }
    ws = null;
  }
  function connect() {
    drop();
    var sock = new WebSocket(url);
    ws = sock;
    sock.onmessage = function (ev) {
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type !== "state") return;
      lastAt = Date.now(); retry = RETRY_MIN;
      last = msg.state; lastRecv = performance.now();
      if (!online) setOnline(true);
      render(last, 0);
    };
    sock.onclose = function () {
      if (ws !== sock) return;
      ws = null; setOnline(false);
      setTimeout(connect, retry); retry = Math.min(retry * 2, RETRY_MAX);
    };
    sock.onerror = function () {};
  }
  function tick() {
    if (connecting && Date.now() - startedAt > STALE_MS) {  // no answer at all: say so
      setOnline(false); drop(); setTimeout(connect, RETRY_MIN);
    } else if (online && Date.now() - lastAt > STALE_MS) {  // the socket may look open; nothing comes
      setOnline(false); drop(); setTimeout(connect, RETRY_MIN);
    } else if (online && last) {
      // between pushes the clock moves on at the show's speed (x N in a rehearsal), never
      // more than a second ahead of what the service said
      var speed = (last.status && last.status.speed) || 1;
      render(last, Math.min((performance.now() - lastRecv) / 1000, 1) * speed);
    }
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }
  /* seconds -> "MM:SS" (or "H:MM:SS"), whole seconds rounded up while counting down */
  function duration(sec, up) {
    var s = up ? Math.floor(sec + 1e-6) : Math.ceil(sec - 1e-6);
    if (s < 0) s = 0;
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + two(m) : two(m)) + ":" + two(r);
  }
  /* an ISO time with the show's offset -> its local "HH:MM:SS" (the show's zone, not ours) */
  function clock(iso, shift) {
    if (!iso) return "--:--:--";
    var t = iso.substring(11, 19).split(":").map(Number);
    var s = Math.floor(t[0] * 3600 + t[1] * 60 + t[2] + (shift || 0)) % 86400;
    return two(Math.floor(s / 3600)) + ":" + two(Math.floor(s / 60) % 60) + ":" + two(s % 60);
  }
  function hhmm(iso) { return iso ? iso.substring(11, 16) : ""; }
  function signed(sec) {
    var a = Math.round(Math.abs(sec));
    if (a < 1) return "";
    return (sec < 0 ? "\u2212" : "+") + duration(a, true);
  }
  function text(id, value) {
    var el = document.getElementById(id);
    if (el.textContent !== value) el.textContent = value;
    return el;
  }

  return {
    start: function (fn) {
      render = fn; startedAt = Date.now(); connect(); setInterval(tick, 200);
    },
    duration: duration, clock: clock, hhmm: hhmm, signed: signed, text: text
  };
})();
