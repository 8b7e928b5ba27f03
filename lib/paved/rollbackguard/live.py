"""Observation sources that are not Prometheus: the deploy target's ready instances, the
router's own per-server counters, HTTP smoke checks, and one source that sends each check to
its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from paved.adapters.deploy.interface import Track
from paved.adapters.smoke.interface import judge
from paved.errors import UsageError
from paved.rollbackguard.classify import Observation
from paved.rollbackguard.source import ObservationSource

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from paved.adapters.deploy.interface import DeployTarget, Workload
    from paved.adapters.router.interface import Router, ServerCounters
    from paved.adapters.smoke.interface import SmokeCheck
    from paved.rollbackguard.metric import MetricCheck


class ByCheck(ObservationSource):
    """Each check answered by the source registered under its name."""

    def __init__(self, sources: Mapping[str, ObservationSource]) -> None:
        self.sources = dict(sources)

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        source = self.sources.get(check.name)
        if source is None:
            raise UsageError(
                f"nothing here can measure {check.name}",
                name="checks",
                valid=", ".join(sorted(self.sources)) or "a check with a source",
            )
        return source.observe(check, window_seconds, at)


def _ratio(workload: Workload | None) -> float | None:
    if workload is None or workload.replicas <= 0:
        return None
    return workload.ready_replicas / workload.replicas


class ReadyInstances(ObservationSource):
    """Ready over asked-for instances of each track, as the target sees them now."""

    def __init__(self, target: DeployTarget, app: str) -> None:
        self.target = target
        self.app = app

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        del check, window_seconds, at  # the target answers for now
        view = self.target.observe(self.app)
        return Observation(_ratio(view.candidate), _ratio(view.stable))


Snapshot = dict[str, "ServerCounters"]


class RouterCounters(ObservationSource):
    """A track's 5xx ratio from the router's cumulative per-server counters: this look's
    reading minus the oldest one kept inside the window. The first look has nothing to
    subtract from, so it is no data (never a pass)."""

    def __init__(
        self, router: Router, backend: str, servers: Callable[[Track], tuple[str, ...]]
    ) -> None:
        self.router = router
        self.backend = backend
        self.servers = servers
        self._history: list[tuple[float, Snapshot]] = []

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        del check
        now = {c.name: c for c in self.router.counters(self.backend)}
        kept = [(t, s) for t, s in self._history if t >= at - window_seconds]
        self._history = [*kept, (at, now)]
        if not kept:
            return Observation(None)
        before = kept[0][1]
        candidate, requests = self._track(Track.CANDIDATE, before, now)
        stable, _ = self._track(Track.STABLE, before, now)
        return Observation(candidate, stable, requests)

    def _track(self, track: Track, before: Snapshot, now: Snapshot) -> tuple[float | None, float]:
        answers = errors = 0
        for name in self.servers(track):
            if name not in now:
                continue
            then = before.get(name)
            # A counter that went down means HAProxy restarted: count from zero.
            fresh = then is None or now[name].responses < then.responses
            answers += now[name].responses - (0 if fresh or then is None else then.responses)
            errors += now[name].errors - (0 if fresh or then is None else then.errors)
        return (errors / answers if answers else None), float(answers)


class SmokeAnswers(ObservationSource):
    """Each smoke check sent once to each track's own endpoint: the share answered as
    expected. A track the target offers no endpoint for has no data."""

    def __init__(self, target: DeployTarget, app: str, checks: tuple[SmokeCheck, ...]) -> None:
        self.target = target
        self.app = app
        self.checks = checks

    def _share(self, track: Track) -> float | None:
        endpoint = self.target.endpoint(self.app, track)
        if endpoint is None or not self.checks:
            return None
        passed = sum(judge(c, endpoint.get(c.path)).ok for c in self.checks)
        return passed / len(self.checks)

    def observe(self, check: MetricCheck, window_seconds: float, at: float) -> Observation:
        del check, window_seconds, at  # one request per check, now
        return Observation(self._share(Track.CANDIDATE), self._share(Track.STABLE))
