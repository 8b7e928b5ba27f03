"""A GitHub REST API on 127.0.0.1 that replays the real recorded exchanges, plus generated pages.

The recordings in tests/data/github-api/ (PyGithub's ReplayData: protocol, verb, host,
port, path, request headers, request body, status, response headers, response body) are
served verbatim when a request matches one (per_page, page=1 and filter do not count), with
their real headers: ETag (a matching If-None-Match gets a 304), X-RateLimit-*, and Link
rewritten to this server. The runs, jobs, deployments and statuses in them also make up
modelled repositories, so that list requests the recordings do not hold exactly (created
windows, pages) are answered from real objects. GeneratedRepository adds histories of any
size, and the server can throttle (403/429 with Retry-After) or fail after N requests.
Creating deployments and their statuses (POST) is modelled in components.github_writes.

Plain Python (standard library), no pytest: tests, benchmarks and the e2e test start it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import socket
import threading
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from components.github_writes import Writes, templates

DATA = Path(__file__).resolve().parents[1] / "data" / "github-api"
RATE_LIMIT = 1000
"""What a GITHUB_TOKEN gets per hour per repository."""
RESULT_CAP = 1000
_SECONDARY_LIMIT = (
    b'{"message":"You have exceeded a secondary rate limit. '
    b'Please wait a few minutes before you try again."}'
)
_NOT_IDENTIFYING = {"per_page", "filter"}
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "status"}


@dataclass(frozen=True)
class Exchange:
    """One recorded request and its answer."""

    verb: str
    path: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: str

    @property
    def etag(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "etag"), None)


def load_exchanges(folder: Path = DATA) -> list[Exchange]:
    """Every exchange of every recording, in file order."""
    found = []
    for path in sorted(folder.glob("*.txt")):
        for block in path.read_text(encoding="utf-8").split("\n\n"):
            lines = block.split("\n")
            if len(lines) < 10:
                continue
            headers = tuple(ast.literal_eval(lines[8]))
            found.append(Exchange(lines[1], lines[4], int(lines[7]), headers, lines[9]))
    return found


def _key(verb: str, path: str) -> tuple[str, str, frozenset[tuple[str, str]]]:
    parsed = urllib.parse.urlsplit(path)
    params = {
        k: v
        for k, v in urllib.parse.parse_qsl(parsed.query)
        if k not in _NOT_IDENTIFYING and not (k == "page" and v == "1")
    }
    return verb, parsed.path, frozenset(params.items())


def stamp(moment: datetime) -> str:
    """GitHub's timestamp format."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(text: str) -> datetime:
    """A GitHub timestamp or date as an aware datetime."""
    if len(text) == 10:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    return datetime.fromisoformat(text)


def created_filter(query: str) -> tuple[datetime, datetime]:
    """GitHub's `created` qualifier as an inclusive [first, last] range."""
    far_past, far_future = datetime(1970, 1, 1, tzinfo=UTC), datetime(2999, 1, 1, tzinfo=UTC)
    if ".." in query:
        low, high = query.split("..", 1)
        first = parse_stamp(low) if low and low != "*" else far_past
        last = parse_stamp(high) if high and high != "*" else far_future
        if len(high) == 10:
            last += timedelta(days=1, seconds=-1)
        return first, last
    if query.startswith(">="):
        return parse_stamp(query[2:]), far_future
    if query.startswith("<="):
        return far_past, parse_stamp(query[2:])
    day = parse_stamp(query)
    return day, day + timedelta(days=1, seconds=-1)


@dataclass
class Repository:
    """A repository the server answers list requests for, from real or generated objects."""

    full_name: str
    repo: dict[str, Any]
    runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    deployments: dict[int, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    template_headers: tuple[tuple[str, str], ...] = ()
    mutated: bool = False
    """Written to since the recordings (its modelled answers win over recorded ones)."""


def modelled_repositories(exchanges: list[Exchange]) -> dict[str, Repository]:  # noqa: C901
    """Repositories made of the real objects found in the recordings (first copy wins)."""
    repos: dict[str, Repository] = {}

    def repo_for(full_name: str, exchange: Exchange) -> Repository:
        if full_name not in repos:
            repos[full_name] = Repository(
                full_name,
                {"full_name": full_name, "default_branch": "main"},
                template_headers=exchange.headers,
            )
        return repos[full_name]

    pattern = re.compile(r"^/repos/([^/]+/[^/]+)(/.*)?$")
    for ex in exchanges:
        match = pattern.match(urllib.parse.urlsplit(ex.path).path)
        if ex.verb != "GET" or ex.status != 200 or not match:
            continue
        repo = repo_for(match[1], ex)
        rest = match[2] or ""
        data = json.loads(ex.body)
        if not rest and "default_branch" in repo.repo and "id" not in repo.repo:
            repo.repo = data
        elif rest.endswith("/actions/runs") or re.search(r"/workflows/[^/]+/runs$", rest):
            for run in data["workflow_runs"]:
                repo.runs.setdefault(run["id"], run)
        elif re.fullmatch(r"/actions/runs/\d+", rest):
            repo.runs.setdefault(data["id"], data)
        elif rest.endswith("/jobs"):
            run_id = int(rest.split("/")[-2])
            repo.jobs.setdefault(run_id, data["jobs"])
        elif re.fullmatch(r"/deployments/\d+", rest):
            repo.deployments.setdefault(data["id"], data)
        elif rest.endswith("/statuses") and isinstance(data, list):
            repo.statuses.setdefault(int(rest.split("/")[-2]), data)
    return repos


class ReplayServer:
    """The server; use as a context manager or call start() and stop()."""

    def __init__(self, folder: Path = DATA) -> None:
        self.exchanges = load_exchanges(folder)
        self.recorded = {}
        for ex in self.exchanges:
            self.recorded.setdefault(_key(ex.verb, ex.path), ex)
        self.repositories = modelled_repositories(self.exchanges)
        self.writes = Writes(templates(self.exchanges))
        self.stats: Counter[str] = Counter()
        self.paths: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.remaining = RATE_LIMIT
        self._throttles: list[tuple[int, str]] = []
        self._fail_after: int | None = None
        self._httpd: ThreadingHTTPServer | None = None

    # -- controls ---------------------------------------------------------------------------
    def add(self, repository: Repository) -> Repository:
        """Serve a (generated) repository."""
        self.repositories[repository.full_name] = repository
        return repository

    def throttle(self, count: int, status: int = 403, retry_after: str = "1") -> None:
        """Answer the next `count` requests with a secondary rate limit."""
        self._throttles.extend([(status, retry_after)] * count)

    def fail_after(self, requests: int | None) -> None:
        """Answer 502 to every request after `requests` more (None stops failing)."""
        total = sum(self.stats.values())
        self._fail_after = None if requests is None else total + requests

    def reset_stats(self) -> None:
        """Forget the request counts (not the data)."""
        self.stats.clear()
        self.paths.clear()

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        server = self

        class Handler(_Handler):
            replay = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> ReplayServer:  # noqa: PYI034 - start() returns the server
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- answering --------------------------------------------------------------------------
    def answer(
        self, verb: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.lock:
            total = sum(self.stats.values())
            if self._fail_after is not None and total >= self._fail_after:
                self.stats["failed"] += 1
                return (
                    502,
                    [("Content-Type", "application/json")],
                    b'{"message":"injected failure"}',
                )
            if self._throttles:
                status, wait = self._throttles.pop(0)
                self.stats[f"throttled-{status}"] += 1
                body = _SECONDARY_LIMIT
                return (
                    status,
                    [
                        ("Retry-After", wait),
                        ("Content-Type", "application/json"),
                        *self._rate_headers(),
                    ],
                    body,
                )
        if verb == "POST":
            return self._write(path, body, headers)
        exact = self.recorded.get(_key(verb, path))
        modelled = self._modelled(verb, path)
        if modelled is not None and (exact is None or self._mutated(path)):
            status, body_obj, link, template = modelled
            body = json.dumps(body_obj, separators=(",", ":"))
            etag = 'W/"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
            return self._send(status, template, body, etag, link, headers)
        if exact is not None:
            return self._send(exact.status, exact.headers, exact.body, exact.etag, None, headers)
        with self.lock:
            self.stats["404"] += 1
        return 404, [("Content-Type", "application/json")], b'{"message":"Not Found"}'

    def _mutated(self, path: str) -> bool:
        repo = self._repo_of(path)
        return repo is not None and repo.mutated

    def _write(
        self, path: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        repo = self._repo_of(path)
        try:
            document = json.loads(body or b"{}")
        except ValueError:
            document = None
        if repo is None or not isinstance(document, dict):
            status, answer = (
                (404, {"message": "Not Found"})
                if repo is None
                else (400, {"message": "Problems parsing JSON"})
            )
        else:
            rest = urllib.parse.urlsplit(path).path[len(f"/repos/{repo.full_name}") :]
            with self.lock:
                status, answer = self.writes.answer(repo, rest, document)
        text = json.dumps(answer, separators=(",", ":"))
        return self._send(status, self.writes.templates.headers, text, None, None, headers)

    def _rate_headers(self) -> list[tuple[str, str]]:
        return [
            ("X-RateLimit-Limit", str(RATE_LIMIT)),
            ("X-RateLimit-Remaining", str(max(0, self.remaining))),
            ("X-RateLimit-Reset", str(int(datetime.now(UTC).timestamp()) + 3600)),
            ("X-RateLimit-Resource", "core"),
        ]

    def _send(  # noqa: PLR0917 - an answer has this many parts
        self,
        status: int,
        template: tuple[tuple[str, str], ...],
        body: str,
        etag: str | None,
        link: str | None,
        request: dict[str, str],
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        kept = [
            (k, v)
            for k, v in template
            if k.lower() not in _DROPPED_HEADERS | {"etag", "link"}
            and not k.lower().startswith("x-ratelimit")
        ]
        recorded_link = next((v for k, v in template if k.lower() == "link"), None)
        link = link or (
            recorded_link.replace("https://api.github.com", self.url) if recorded_link else None
        )
        with self.lock:
            if etag is not None and request.get("if-none-match") == etag:
                self.stats["304"] += 1
                return 304, [("ETag", etag), *kept, *self._rate_headers()], b""
            self.remaining -= 1
            self.stats[str(status)] += 1
            rate = self._rate_headers()
        extra = [("ETag", etag)] if etag else []
        extra += [("Link", link)] if link else []
        return status, [*kept, *extra, *rate], body.encode()

    def _repo_of(self, path: str) -> Repository | None:
        match = re.match(r"^/repos/([^/]+/[^/]+)", urllib.parse.urlsplit(path).path)
        return self.repositories.get(match[1]) if match else None

    def _modelled(  # noqa: PLR0911 - one return per endpoint
        self, verb: str, path: str
    ) -> tuple[int, Any, str | None, tuple[tuple[str, str], ...]] | None:
        repo = self._repo_of(path)
        if verb != "GET" or repo is None:
            return None
        parts = urllib.parse.urlsplit(path)
        rest = parts.path[len(f"/repos/{repo.full_name}") :]
        params = dict(urllib.parse.parse_qsl(parts.query))
        page, per_page = int(params.get("page", "1")), int(params.get("per_page", "30"))
        if not rest:
            return 200, repo.repo, None, repo.template_headers
        if rest == "/actions/runs":
            runs = list(repo.runs.values())
            if "created" in params:
                first, last = created_filter(params["created"])
                runs = [r for r in runs if first <= parse_stamp(r["created_at"]) <= last]
            runs.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
            items, link = self._paginate(runs[:RESULT_CAP], parts.path, params, page, per_page)
            return (
                200,
                {"total_count": len(runs), "workflow_runs": items},
                link,
                repo.template_headers,
            )
        if match := re.fullmatch(r"/actions/runs/(\d+)/jobs", rest):
            jobs = repo.jobs.get(int(match[1]), [])
            if params.get("filter", "latest") == "latest" and jobs:
                latest = max(j.get("run_attempt", 1) for j in jobs)
                jobs = [j for j in jobs if j.get("run_attempt", 1) == latest]
            items, link = self._paginate(jobs, parts.path, params, page, per_page)
            return 200, {"total_count": len(jobs), "jobs": items}, link, repo.template_headers
        if rest == "/deployments":
            found = [
                d
                for d in repo.deployments.values()
                if all(
                    name not in params or d[name] == params[name]
                    for name in ("sha", "ref", "task", "environment")
                )
            ]
            found.sort(key=lambda d: (d["created_at"], d["id"]), reverse=True)
            items, link = self._paginate(found, parts.path, params, page, per_page)
            return 200, items, link, repo.template_headers
        if match := re.fullmatch(r"/deployments/(\d+)/statuses", rest):
            found = sorted(
                repo.statuses.get(int(match[1]), []),
                key=lambda s: (s["created_at"], s["id"]),
                reverse=True,
            )
            items, link = self._paginate(found, parts.path, params, page, per_page)
            return 200, items, link, repo.template_headers
        return None

    def _paginate(
        self, items: list[Any], path: str, params: dict[str, str], page: int, per_page: int
    ) -> tuple[list[Any], str | None]:
        pages = max(1, -(-len(items) // per_page))
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1), ("last", pages), ("first", 1)):
            if (rel in {"prev", "first"} and page > 1) or (
                rel in {"next", "last"} and page < pages
            ):
                query = urllib.parse.urlencode({**params, "page": number})
                links.append(f'<{self.url}{path}?{query}>; rel="{rel}"')
        return items[(page - 1) * per_page : page * per_page], ", ".join(links) or None


class _Handler(BaseHTTPRequestHandler):
    replay: ReplayServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and delayed
        # ACKs add ~40 ms to every request on loopback.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, verb: str) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.replay.paths[urllib.parse.urlsplit(self.path).path] += 1
        length = int(headers.get("content-length") or 0)
        sent = self.rfile.read(length) if length else b""
        status, answer, body = self.replay.answer(verb, self.path, headers, sent)
        self.send_response(status)
        for name, value in answer:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002, ARG002 - quiet
        return
