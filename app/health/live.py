"""The live layer's state for /api/health and /metrics: this process's open streams and
sockets, and its bus listener."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from app.core.settings import Settings
from app.events.bus import bus_url
from app.events.hub import hub_for
from app.events.limits import registry_for


def live_state(settings: Settings) -> dict[str, Any]:
    bus = hub_for(bus_url(settings)).state()
    counts = registry_for(settings).counts()
    # Not listening yet is normal (the listener starts with the first stream); listening but
    # disconnected means streams only see what they replay until the bus is back.
    bus["ok"] = bool(bus["connected"] or not bus["listening"])
    return {"bus": bus, **counts}


class LiveCollector(Collector):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        state = live_state(self.settings)
        bus = state["bus"]
        yield GaugeMetricFamily("dojo_open_streams", "Event streams open in this process", value=state["streams"])
        yield GaugeMetricFamily("dojo_open_sockets", "Room sockets open in this process", value=state["sockets"])
        connected = GaugeMetricFamily("dojo_bus_connected", "Whether the event bus listener receives", labels=["kind"])
        connected.add_metric([bus["kind"]], 1 if bus["connected"] else 0)
        yield connected
        received = CounterMetricFamily("dojo_bus_messages", "Bus messages received by this process", labels=["kind"])
        received.add_metric([bus["kind"]], bus["received"])
        yield received
