"""Closed-loop HTTP load for benchmarks/pages.py: wrk where installed, a Python generator otherwise.

Both drivers keep N connections busy for a fixed time (closed loop: a connection sends its next
request as soon as the previous answer arrived) and report throughput and latency percentiles.
Saves go round-robin over answers that each driver thread owns exclusively, with the revision the
previous save of that answer produced, so every save is a valid compare-and-set.
"""
from __future__ import annotations

import collections
import http.client
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path


#: the one browser every request of a benchmark comes from, the login included. Flask-Login's session
#: protection ties a session to the address and User-Agent it was opened with; requests from another
#: agent (wrk's default, urllib's) would mark it not fresh and have the product re-sign and resend the
#: session cookie on every response, work no browser causes (a browser keeps its agent and the new cookie).
USER_AGENT = "customs-maturity-benchmark/1"


@dataclass(frozen=True)
class Session:
    """A logged-in browser: the Cookie header and the CSRF token of its pages."""

    cookie: str
    csrf: str


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    #: what the errors were: HTTP status or "connection", with counts (Python generator only)
    error_kinds: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: list[float], p: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def _headers(session: Session | None, json_body: bool = False) -> dict:
    headers = {"User-Agent": USER_AGENT}
    if session is not None:
        headers.update(Cookie=session.cookie, **({"X-CSRFToken": session.csrf} if json_body else {}))
    if json_body:
        headers["Content-Type"] = "application/json"
    return headers


def preflight(url: str, session: Session | None) -> None:
    """One request before the measurement: it must answer 200 (not a redirect to the login page)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path or "/", headers=_headers(session))
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise SystemExit(f"{url} answered {response.status}, not 200: check the session and the fixture")


def runner(connections: int, duration: float, force_python: bool = False):
    if not force_python and shutil.which("wrk"):
        return Wrk(connections, duration)
    return PythonLoad(connections, duration)


# ---- wrk -------------------------------------------------------------------------------------

_DONE = """
function done_summary(summary, latency)
  local e = summary.errors
  local f = io.open("{out}", "w")
  f:write(string.format('{{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}}',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e6, latency:percentile(95) / 1e6,
    latency:percentile(99) / 1e6, e.connect + e.read + e.write + e.status + e.timeout))
  f:close()
end
if done == nil then done = function(summary, latency, requests) done_summary(summary, latency) end end
"""

_SAVES = """
local threads, all = 0, {{}}
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
  table.insert(all, thread)
end

targets = {targets}
local free, by_key = {{}}, {{}}
function init(args)
  for n, t in ipairs(targets) do
    if (n - 1) % {nthreads} == tid then table.insert(free, t); by_key[t.key] = t end
  end
  conflicts, unmatched = 0, 0
end

-- a save goes to an answer no other request of this thread is saving, based on its latest revision
function request()
  local t = table.remove(free, 1)
  if t == nil then t = targets[1] end
  local body = string.format('{{"base_revision": %d, "{field}": "%s"}}', t.rev, t.vals[t.rev % 2 + 1])
  local headers = {{["Content-Type"] = "application/json", ["Cookie"] = t.cookie, ["X-CSRFToken"] = t.csrf,
                     ["User-Agent"] = [==[{agent}]==]}}
  return wrk.format("POST", t.path, headers, body)
end

function response(status, headers, body)
  local key = string.match(body, '"{json_key}":%s*"?([^",}}]+)')
  local t = key and by_key[key]
  if t == nil then unmatched = unmatched + 1; return end
  if status == 409 then conflicts = conflicts + 1 end
  t.rev = tonumber(string.match(body, '"revision":%s*(%d+)'))
  table.insert(free, t)
end

function done(summary, latency, requests)
  local c, u = 0, 0
  for _, thread in ipairs(all) do c = c + thread:get("conflicts"); u = u + thread:get("unmatched") end
  io.stderr:write(string.format("  (%d conflicts, %d answers not matched to a target)\\n", c, u))
  done_summary(summary, latency)
end
"""


def _lua(value) -> str:
    """A Lua literal of a str, int or list (strings as long brackets: no escaping needed)."""
    if isinstance(value, list):
        return "{" + ", ".join(_lua(v) for v in value) + "}"
    if isinstance(value, int):
        return str(value)
    return "[==[" + value + "]==]"


class Wrk:
    threads = 1  # one wrk thread drives hundreds of connections; the servers get the rest of the CPU

    def __init__(self, connections: int, duration: float):
        self.connections, self.duration = connections, duration

    def _run(self, url: str, script: str) -> Result:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "result.json"
            path = Path(tmp) / "script.lua"
            path.write_text(script + _DONE.format(out=out))
            subprocess.run(["wrk", "-t", str(self.threads), "-c", str(self.connections),
                            "-d", f"{self.duration:g}s", "--timeout", "10s", "-s", str(path), url],
                           check=True, stdout=subprocess.DEVNULL)
            return Result(**json.loads(out.read_text()))

    def get(self, url: str, session: Session | None, label: str) -> Result:
        preflight(url, session)
        script = f"wrk.headers['User-Agent'] = {_lua(USER_AGENT)}\n"
        if session is not None:
            script += f"wrk.headers['Cookie'] = {_lua(session.cookie)}\n"
        return self._run(url, script)

    def save(self, targets: list[dict], url_of, sessions: dict | None, label: str, field: str,
             values=None, key_field: str = "key") -> Result:
        """POST a JSON save per request: {"base_revision": rev, field: one of two values}.

        The answer's JSON names it by key_field (unique among the targets) and its new revision."""
        rows = []
        for t in targets:
            session = sessions[t["country"]] if sessions else Session("", "")
            vals = values or t["values"]
            rows.append("{key=%s, path=%s, cookie=%s, csrf=%s, rev=%d, vals=%s}" % (
                _lua(str(t[key_field])), _lua(urllib.parse.urlsplit(url_of(t)).path), _lua(session.cookie),
                _lua(session.csrf), t["revision"], _lua(list(vals))))
        if len(targets) <= self.connections:
            raise SystemExit(f"{label}: {len(targets)} answers are too few for {self.connections} connections")
        script = _SAVES.format(targets="{\n" + ",\n".join(rows) + "\n}", nthreads=self.threads, field=field,
                               agent=USER_AGENT, json_key={"key": "question_key"}.get(key_field, key_field))
        parts = urllib.parse.urlsplit(url_of(targets[0]))
        return self._run(f"{parts.scheme}://{parts.netloc}/", script)


# ---- Python ----------------------------------------------------------------------------------

class PythonLoad:
    """One thread and one keep-alive connection per simulated client."""

    def __init__(self, connections: int, duration: float):
        self.connections, self.duration = connections, duration

    def _run(self, work_of) -> Result:
        latencies, errors, kinds, lock = [], [0], collections.Counter(), threading.Lock()
        barrier = threading.Barrier(self.connections + 1)
        deadline = [0.0]

        def client(n):
            mine, failed, my_kinds = [], 0, collections.Counter()
            conn, requests = None, work_of(n)
            barrier.wait()
            while time.perf_counter() < deadline[0]:
                method, url, headers, body = next(requests)
                parts = urllib.parse.urlsplit(url)
                if conn is None:
                    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                started = time.perf_counter()
                try:
                    conn.request(method, parts.path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    if response.status >= 300:
                        failed += 1
                        my_kinds[str(response.status)] += 1
                except OSError:
                    failed += 1
                    my_kinds["connection"] += 1
                    conn.close()
                    conn = None
                    continue
                mine.append(time.perf_counter() - started)
            with lock:
                latencies.extend(mine)
                errors[0] += failed
                kinds.update(my_kinds)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(self.connections)]
        for t in threads:
            t.start()
        deadline[0] = time.perf_counter() + self.duration
        started = time.perf_counter()
        barrier.wait()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        return Result(len(latencies), seconds, percentile(latencies, 50), percentile(latencies, 95),
                      percentile(latencies, 99), errors[0], dict(kinds))

    def get(self, url: str, session: Session | None, label: str) -> Result:
        preflight(url, session)

        def work(_n):
            while True:
                yield "GET", url, _headers(session), None
        return self._run(work)

    def save(self, targets: list[dict], url_of, sessions: dict | None, label: str, field: str,
             values=None, key_field: str = "key") -> Result:
        def work(n):
            mine = [dict(t) for i, t in enumerate(targets) if i % self.connections == n]
            while True:
                for t in mine:
                    rev = t["revision"]
                    body = json.dumps({"base_revision": rev, field: (values or t["values"])[rev % 2]})
                    t["revision"] += 1
                    session = sessions[t["country"]] if sessions else None
                    yield "POST", url_of(t), _headers(session, json_body=True), body
        return self._run(work)


# ---- think time ------------------------------------------------------------------------------

def think_loop(plan: list[tuple[Session, list[str]]], requests: int, think: float) -> tuple[dict, float]:
    """Each (session, urls) is one user requesting `requests` pages in turn with a pause before each."""
    timings: dict[str, list[float]] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(len(plan))

    def user(n, session, urls):
        rng = random.Random(n)
        conn = None
        barrier.wait()
        for i in range(requests):
            time.sleep(rng.uniform(0, 2 * think))
            parts = urllib.parse.urlsplit(urls[i % len(urls)])
            started = time.perf_counter()
            for attempt in (1, 2):  # the server closes a keep-alive connection idle longer than its pause
                conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                try:
                    conn.request("GET", parts.path, headers=_headers(session))
                    response = conn.getresponse()
                    response.read()
                    break
                except (http.client.RemoteDisconnected, ConnectionError):
                    conn.close()
                    conn = None
                    if attempt == 2:
                        raise
                    started = time.perf_counter()
            elapsed = time.perf_counter() - started
            assert response.status == 200, (parts.path, response.status)
            with lock:
                timings.setdefault(_page_name(parts.path), []).append(elapsed)

    threads = [threading.Thread(target=user, args=(n, s, u)) for n, (s, u) in enumerate(plan)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return timings, time.perf_counter() - started


def _page_name(path: str) -> str:
    """/assessments/12/section/legal -> /assessments/<id>/section/legal."""
    return "/".join("<id>" if part.isdigit() else part for part in path.split("/")) or "/"
