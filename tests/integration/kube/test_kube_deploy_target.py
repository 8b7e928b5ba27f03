"""deploy-strategy's executor driving the Kubernetes target on the real API server."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from kube_support import deployment_manifest, kubectl_json, service_manifest
from paved.adapters.deploy.interface import (
    AnalysisRequest,
    AnalysisResult,
    LeaseHeldError,
    RolloutState,
    Track,
    Verdict,
)
from paved.adapters.deploy.kube_objects import KubeRouter
from paved.adapters.deploy.kubernetes import KubernetesSettings, KubernetesTarget
from paved.adapters.http.stdlib import StdlibHttpClient
from paved.adapters.kube import MissingApiError
from paved.deploystrategy.analysis import ReadinessAndSmoke
from paved.deploystrategy.clock import Clock
from paved.deploystrategy.core import Rollout
from paved.deploystrategy.options import DeployOptions, Strategy, canary_steps
from paved.deploystrategy.outcome import DeployResult

pytestmark = pytest.mark.integration
CLOCK = Clock(now=time.time, monotonic=time.monotonic, sleep=time.sleep)
APP = "shop"


def target(kube, namespace, router):
    settings = KubernetesSettings(
        namespace=namespace,
        deployment=deployment_manifest(namespace, APP, "registry.test/shop:team"),
        service=service_manifest(namespace, APP, {"app": APP}),
        router=router,
        poll_seconds=0.1,
    )
    return KubernetesTarget(kube, settings, StdlibHttpClient())


class RouterView(ReadinessAndSmoke):
    """The default analysis, also noting what the router really has at each step."""

    def __init__(self, target, read_weight):
        super().__init__(target, (), CLOCK, interval=0.2)
        self.read_weight = read_weight
        self.seen: list[int] = []
        self.fail_at: int | None = None

    def analyse(self, request: AnalysisRequest) -> AnalysisResult:
        self.seen.append(self.read_weight())
        if request.weight == self.fail_at:
            return AnalysisResult(Verdict.FAIL, reason="error rate 12 % > 1 %")
        return super().analyse(request)


def deploy(deploy_target, image, strategy, analysis=None, *, weights=(10, 50, 100), **more):
    if deploy_target.observe(APP).stable is None:
        # A first deploy takes the team's replica count (the executor's own default is 1).
        more.setdefault("replicas", 3)
    # The emulated pods serve nothing: the analysis (readiness) decides, not smoke checks.
    more.setdefault("smoke_checks", ())
    options = DeployOptions(
        APP,
        image,
        strategy,
        canary_steps(weights, 0.0),
        ready_timeout_seconds=more.pop("ready_timeout", 20.0),
        holder=more.pop("holder", "it"),
        # These pods run no container (test_kube_smoke_proxy's do): readiness is their probes.
        smoke_checks=more.pop("smoke_checks", ()),
        **more,
    )
    analysis = analysis or ReadinessAndSmoke(deploy_target, (), CLOCK, interval=0.2)
    return Rollout(options, deploy_target, analysis, CLOCK).run()


def deployments(kube_cluster, namespace) -> dict[str, tuple[int, str]]:
    """name -> (spec.replicas, image), as kubectl lists them."""
    listing = kubectl_json(kube_cluster, "deployments", "-n", namespace)
    return {
        d["metadata"]["name"]: (
            d["spec"]["replicas"],
            d["spec"]["template"]["spec"]["containers"][0]["image"],
        )
        for d in listing["items"]
    }


def test_blue_green_switches_the_selector_and_keeps_the_old_color_at_zero(
    kube, kube_cluster, namespace
):
    bg = target(kube, namespace, KubeRouter.SERVICE)
    first = deploy(bg, "registry.test/shop:1", Strategy.BLUE_GREEN)
    assert first.result is DeployResult.SUCCEEDED, first.reason
    assert deployments(kube_cluster, namespace) == {"shop-blue": (3, "registry.test/shop:1")}

    second = deploy(bg, "registry.test/shop:2", Strategy.BLUE_GREEN)
    assert second.result is DeployResult.SUCCEEDED, second.reason
    assert deployments(kube_cluster, namespace) == {
        "shop-blue": (0, "registry.test/shop:1"),  # kept for a rollback, never deleted
        "shop-green": (3, "registry.test/shop:2"),
    }
    live = kubectl_json(kube_cluster, "service/shop", "-n", namespace)["spec"]["selector"]
    preview = kubectl_json(kube_cluster, "service/shop-preview", "-n", namespace)["spec"]
    assert live == {"app": APP, "color": "green"}
    assert preview["selector"] == {"app": APP, "color": "blue"}
    view = bg.observe(APP)
    assert (view.stable.image, view.stable.ready_replicas, view.candidate) == (
        "registry.test/shop:2",
        3,
        None,
    )
    state = bg.read_state(APP)
    assert (state.revision, state.status.value, state.previous_image) == (
        2,
        "succeeded",
        "registry.test/shop:1",
    )


def test_blue_green_never_ready_color_is_rolled_back_with_the_live_color_serving(
    kube, kube_cluster, namespace
):
    bg = target(kube, namespace, KubeRouter.SERVICE)
    assert deploy(bg, "registry.test/shop:1", Strategy.BLUE_GREEN).result is DeployResult.SUCCEEDED
    bad = deploy(bg, "registry.test/shop:never-ready", Strategy.BLUE_GREEN, ready_timeout=4.0)
    assert bad.result is DeployResult.ROLLED_BACK, bad.reason
    assert "0/3 ready" in bad.reason
    live = kubectl_json(kube_cluster, "service/shop", "-n", namespace)["spec"]["selector"]
    assert live == {"app": APP, "color": "blue"}
    assert deployments(kube_cluster, namespace) == {
        "shop-blue": (3, "registry.test/shop:1"),
        "shop-green": (0, "registry.test/shop:never-ready"),
    }
    assert bg.read_state(APP).status.value == "rolled-back"


@pytest.mark.parametrize("router", [KubeRouter.ISTIO, KubeRouter.GATEWAY_API])
def test_canary_moves_router_weights_10_50_100_then_promotes(kube, kube_cluster, namespace, router):
    canary = target(kube, namespace, router)
    assert deploy(canary, "registry.test/shop:1", Strategy.CANARY).result is DeployResult.SUCCEEDED

    def weight_in_router():
        if router is KubeRouter.ISTIO:
            vs = kubectl_json(kube_cluster, "virtualservice/shop", "-n", namespace)
            return {
                r["destination"]["subset"]: r["weight"] for r in vs["spec"]["http"][0]["route"]
            }["canary"]
        route = kubectl_json(kube_cluster, "httproute/shop", "-n", namespace)
        return {b["name"]: b["weight"] for b in route["spec"]["rules"][0]["backendRefs"]}[
            "shop-canary"
        ]

    analysis = RouterView(canary, weight_in_router)
    outcome = deploy(canary, "registry.test/shop:2", Strategy.CANARY, analysis)
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    assert analysis.seen == [10, 50, 100]
    assert weight_in_router() == 0  # promoted: all traffic on the primary, which runs :2
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:2")}
    assert outcome.final_weight == 100


def test_a_failed_canary_analysis_puts_traffic_back_on_stable_and_removes_the_canary(
    kube, kube_cluster, namespace
):
    canary = target(kube, namespace, KubeRouter.ISTIO)
    assert deploy(canary, "registry.test/shop:1", Strategy.CANARY).result is DeployResult.SUCCEEDED
    analysis = RouterView(canary, lambda: kube.virtualservice_weights(namespace, APP)["canary"])
    analysis.fail_at = 50
    outcome = deploy(canary, "registry.test/shop:2", Strategy.CANARY, analysis)
    assert outcome.result is DeployResult.ROLLED_BACK
    assert "error rate" in outcome.reason
    assert analysis.seen == [10, 50]
    assert kube.virtualservice_weights(namespace, APP) == {"stable": 100, "canary": 0}
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:1")}
    assert outcome.traffic_restored_seconds is not None


def test_canary_by_replica_ratio(kube, kube_cluster, namespace):
    canary = target(kube, namespace, KubeRouter.REPLICA_RATIO)
    first = deploy(canary, "registry.test/shop:1", Strategy.CANARY, replicas=4)
    assert first.result is DeployResult.SUCCEEDED

    def pods():
        listed = deployments(kube_cluster, namespace)
        return listed["shop"][0], listed.get("shop-canary", (0, ""))[0]

    analysis = RouterView(canary, pods)
    outcome = deploy(canary, "registry.test/shop:2", Strategy.CANARY, analysis)
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    # max(1, round(4 * w / 100)) canary pods, the stable track the rest of 4.
    assert analysis.seen == [(3, 1), (2, 2), (0, 4)]
    assert [r.weight for r in outcome.steps if r.step.kind.value == "set-weight"] == [25, 50, 100]
    assert deployments(kube_cluster, namespace) == {"shop": (4, "registry.test/shop:2")}


def test_direct_rolls_back_in_place_when_the_new_image_never_gets_ready(
    kube, kube_cluster, namespace
):
    direct = target(kube, namespace, KubeRouter.REPLICA_RATIO)
    assert deploy(direct, "registry.test/shop:1", Strategy.DIRECT).result is DeployResult.SUCCEEDED
    outcome = deploy(direct, "registry.test/shop:never-ready", Strategy.DIRECT, ready_timeout=4.0)
    assert outcome.result is DeployResult.ROLLED_BACK, outcome.reason
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:1")}
    status = kube.rollout_status(namespace, APP)
    assert status.phase.value == "complete"
    # The controller brought the first ReplicaSet back as revision 3, as kubectl shows.
    history = kube_cluster.kubectl("rollout", "history", "deployment/shop", "-n", namespace)
    assert status.revision == 3
    assert "3 " in history.stdout


def test_a_second_deploy_is_refused_while_the_lease_is_held(kube, namespace):
    first = target(kube, namespace, KubeRouter.ISTIO)
    lease = first.acquire_lease(APP, "run-1", 60, time.time())
    with pytest.raises(LeaseHeldError, match="held by run-1") as caught:
        deploy(first, "registry.test/shop:1", Strategy.CANARY, holder="run-2")
    assert caught.value.exit_code == 1
    assert first.acquire_lease(APP, "run-1", 60, time.time()).holder == "run-1"  # renewed
    first.release_lease(lease)
    assert deploy(first, "registry.test/shop:1", Strategy.CANARY, holder="run-2").result is (
        DeployResult.SUCCEEDED
    )


def test_state_lives_in_annotations_of_the_app_configmap(kube, kube_cluster, namespace):
    canary = target(kube, namespace, KubeRouter.GATEWAY_API)
    deploy(canary, "registry.test/shop:1", Strategy.CANARY)
    annotations = kubectl_json(kube_cluster, "configmap/shop-paved", "-n", namespace)["metadata"][
        "annotations"
    ]
    state = RolloutState.from_labels(annotations)
    assert (state.image, state.status.value, state.revision) == (
        "registry.test/shop:1",
        "succeeded",
        1,
    )
    assert "paved.dev/lease-holder" not in annotations  # released at the end
    proxied = canary.endpoint(APP, Track.CANDIDATE)
    assert proxied.base == (
        f"{kube.host}/api/v1/namespaces/{namespace}/services/shop-canary:80/proxy"
    )
    inside = KubernetesTarget(
        kube, replace(canary.settings, smoke_through_proxy=False), StdlibHttpClient()
    )
    assert inside.endpoint(APP, Track.CANDIDATE).base == f"http://shop-canary.{namespace}.svc:80"


class Cancelled(BaseException):
    """What a cancelled job looks like to the executor: not an error it may handle."""


def test_a_cancelled_canary_resumes_where_it_stopped(kube, kube_cluster, namespace):
    canary = target(kube, namespace, KubeRouter.GATEWAY_API)
    assert deploy(canary, "registry.test/shop:1", Strategy.CANARY).result is DeployResult.SUCCEEDED

    class CancelAt50(RouterView):
        def analyse(self, request):
            if request.weight == 50:
                raise Cancelled
            return super().analyse(request)

    with pytest.raises(Cancelled):
        deploy(canary, "registry.test/shop:2", Strategy.CANARY, CancelAt50(canary, lambda: 0))
    stopped = canary.read_state(APP)
    assert (stopped.status.value, stopped.weight, stopped.image) == (
        "in-progress",
        50,
        "registry.test/shop:2",
    )
    weights = kube.httproute_weights(namespace, APP)
    assert weights == {"shop-stable": 50, "shop-canary": 50}  # left where it stopped

    resumed = deploy(canary, "registry.test/shop:2", Strategy.CANARY)  # the job's re-run
    assert resumed.result is DeployResult.SUCCEEDED, resumed.reason
    assert resumed.resumed_from == stopped.step_index
    assert resumed.revision == stopped.revision
    assert kube.httproute_weights(namespace, APP) == {"shop-stable": 100, "shop-canary": 0}
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:2")}


@pytest.mark.parametrize("router", [KubeRouter.ISTIO, KubeRouter.REPLICA_RATIO])
def test_blue_green_through_a_weighted_router(kube, kube_cluster, namespace, router):
    bg = target(kube, namespace, router)
    assert deploy(bg, "registry.test/shop:1", Strategy.BLUE_GREEN).result is DeployResult.SUCCEEDED
    outcome = deploy(bg, "registry.test/shop:2", Strategy.BLUE_GREEN)
    assert outcome.result is DeployResult.SUCCEEDED, outcome.reason
    assert [r.weight for r in outcome.steps if r.step.kind.value == "set-weight"] == [100]
    assert deployments(kube_cluster, namespace) == {"shop": (3, "registry.test/shop:2")}
    assert bg.observe(APP).traffic.candidate_weight == 0


def test_check_names_the_router_api_the_cluster_lacks(kube, namespace):
    class WithoutIstio(type(kube)):
        def get(self, ref):
            if ref.api_version.startswith("networking.istio.io/"):
                raise self._missing(ref.api_version, ref.kind)
            return super().get(ref)

    lacking = WithoutIstio(kube._api)  # noqa: SLF001 - the same transport
    settings = target(kube, namespace, KubeRouter.ISTIO).settings
    with pytest.raises(MissingApiError, match="install Istio") as caught:
        KubernetesTarget(lacking, settings, StdlibHttpClient()).check()
    assert caught.value.exit_code == 3
    assert "Kubernetes v1." in target(kube, namespace, KubeRouter.ISTIO).check()


def test_blue_green_takes_over_the_teams_existing_service(kube, kube_cluster, namespace):
    kube.apply(service_manifest(namespace, APP, {"app": APP}))  # deployed before paved
    bg = target(kube, namespace, KubeRouter.SERVICE)
    assert deploy(bg, "registry.test/shop:1", Strategy.BLUE_GREEN).result is DeployResult.SUCCEEDED
    live = kubectl_json(kube_cluster, "service/shop", "-n", namespace)["spec"]["selector"]
    assert live == {"app": APP, "color": "blue"}
