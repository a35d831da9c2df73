"""The audit's HTTP client: polite, bounded and with one clear message per failure.

Every request: the tool's User-Agent with the editor's address (CITE_MAILTO, as `invoke
cite` sends it), a minimum gap between requests to each service (its rate limit), a
per-request timeout inside one overall deadline, a cap on the size of an answer, and
redirects followed only on the same host. A 429 or 503 is retried after the wait its
``Retry-After`` asks for, when that wait is short and fits in the deadline; any other
failure stops the audit with one AuditError, before anything is written.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

# The services' addresses are the settings `invoke cite` reads; the defaults are its own.
from plugins.citations.fetch import CROSSREF, EUTILS

TOOL = "ldn-site-invoke-audit"
CLINICALTRIALS = "https://clinicaltrials.gov/api/v2"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 5


class AuditError(Exception):
    """One failure, said once: which service, what happened, what to do."""


@dataclass(frozen=True)
class Service:
    name: str
    base: str
    interval: float  # seconds between two requests: the service's published rate limit


def services(intervals: Mapping[str, float] | None = None) -> dict[str, Service]:
    """Crossref, PubMed and ClinicalTrials.gov at the addresses the environment gives.

    NCBI allows 3 requests a second without an API key; Crossref's public pool 5;
    ClinicalTrials.gov asks for about 50 a minute.
    """
    gaps = {"crossref": 0.2, "pubmed": 0.34, "clinicaltrials": 1.2, **(intervals or {})}
    env = os.environ.get
    return {
        "crossref": Service("Crossref", env("CROSSREF_API_URL", CROSSREF).rstrip("/"),
                            gaps["crossref"]),
        "pubmed": Service("PubMed", env("PUBMED_EUTILS_URL", EUTILS).rstrip("/"),
                          gaps["pubmed"]),
        "clinicaltrials": Service("ClinicalTrials.gov",
                                  env("CLINICALTRIALS_API_URL", CLINICALTRIALS).rstrip("/"),
                                  gaps["clinicaltrials"]),
    }


def mailto() -> str:
    return os.environ.get("CITE_MAILTO", "").strip()


def user_agent() -> str:
    address = mailto()
    return f"{TOOL}/1.0" + (f" (mailto:{address})" if address else "")


def seconds(value: float) -> str:
    return f"{value:g} second{'' if value == 1 else 's'}"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now) if when else None


@dataclass
class Http:
    """One audit run's connection to the services."""

    deadline: float = 300.0  # seconds for the whole run
    timeout: float = 20.0  # seconds for one request
    max_bytes: int = 20_000_000  # the largest answer read
    retries: int = 2  # of a 429/503, each after the wait asked for
    max_wait: float = 60.0  # the longest Retry-After honoured
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    requests: int = 0
    _last: dict[str, float] = field(default_factory=dict)
    _gaps: dict[str, float] = field(default_factory=dict)  # wider gaps a service asked for
    _client: httpx.Client | None = None
    _ends: float = 0.0

    def __enter__(self) -> Http:
        self._ends = self.clock() + self.deadline
        self._client = httpx.Client(headers={"User-Agent": user_agent()},
                                    follow_redirects=False)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def _remaining(self, service: Service) -> float:
        left = self._ends - self.clock()
        if left <= 0:
            raise AuditError(f"{service.name}: the audit's deadline of {seconds(self.deadline)} "
                             "passed; nothing was changed; run it again later")
        return left

    def _pace(self, service: Service) -> None:
        gap = max(service.interval, self._gaps.get(service.name, 0.0))
        wait = self._last.get(service.name, -1e9) + gap - self.clock()
        if wait > 0:
            self.sleep(wait)
        self._last[service.name] = self.clock()

    def _send(self, service: Service, url: str,
              params: Mapping[str, str] | None) -> tuple[int, httpx.Headers, bytes, str]:
        """One request and its redirects on the same host: status, headers, body, URL."""
        assert self._client is not None
        host = urlsplit(url).netloc
        for _ in range(MAX_REDIRECTS + 1):
            self._pace(service)
            budget = min(self.timeout, self._remaining(service))
            self.requests += 1
            try:
                with self._client.stream("GET", url, params=params, timeout=budget) as response:
                    if response.status_code in REDIRECTS:
                        target = urljoin(str(response.url), response.headers.get("location", ""))
                        elsewhere = urlsplit(target).netloc
                        if elsewhere != host:
                            raise AuditError(
                                f"{service.name} redirected to another host ({elsewhere}); "
                                "check its address (its *_URL setting); nothing was changed")
                        url, params = target, None
                        continue
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise AuditError(
                                f"{service.name}'s answer is larger than {self.max_bytes} "
                                "bytes; nothing was changed")
                        if self.clock() > self._ends:
                            self._remaining(service)
                    return response.status_code, response.headers, bytes(body), url
            except httpx.TimeoutException:
                if budget < self.timeout:  # cut short by the run's deadline
                    self._ends = min(self._ends, self.clock())
                    self._remaining(service)
                raise AuditError(f"{service.name} did not answer within {seconds(budget)}; "
                                 "nothing was changed; try again later") from None
            except httpx.TransportError as err:
                raise AuditError(f"{service.name} could not be reached ({err}); nothing was "
                                 "changed; check the connection and try again") from None
        raise AuditError(f"{service.name} redirected more than {MAX_REDIRECTS} times; "
                         "nothing was changed")

    def _heed(self, service: Service, headers: httpx.Headers) -> None:
        """Crossref states its limit on every answer (X-Rate-Limit-Limit: 50,
        X-Rate-Limit-Interval: 1s): keep to it when it is stricter than ours."""
        limit = headers.get("x-rate-limit-limit", "").strip()
        interval = headers.get("x-rate-limit-interval", "").strip().removesuffix("s")
        try:
            gap = float(interval) / int(limit)
        except (ValueError, ZeroDivisionError):
            return
        if 0 < gap <= self.max_wait:
            self._gaps[service.name] = gap

    def get(self, service: Service, path: str,
            params: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """Status and body of GET base+path: 200, or 404 for a record the service does not
        have. Anything else, after the retries a 429 or 503 allows, is an AuditError."""
        url = service.base + path
        for attempt in range(self.retries + 1):
            status, headers, body, _ = self._send(service, url, params)
            self._heed(service, headers)
            if status in (200, 404):
                return status, body
            if status in (429, 503):
                asked = retry_after(headers.get("retry-after"), time.time())
                wait = 2.0 ** attempt if asked is None else asked
                said = seconds(asked) if asked is not None else "a while"
                if (attempt == self.retries or wait > self.max_wait
                        or wait >= self._ends - self.clock()):
                    raise AuditError(
                        f"{service.name} is limiting requests (HTTP {status}) and asked to "
                        f"wait {said}; nothing was changed; run the audit again later")
                self.sleep(wait)
                continue
            raise AuditError(f"{service.name} answered HTTP {status} for {path}; nothing was "
                             "changed; try again later")
        raise AssertionError("unreachable")  # pragma: no cover
