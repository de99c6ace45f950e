"""Load benchmark: simulated visitors that speak Streamlit's own WebSocket protocol to a real server.

Each visitor does what a browser tab does, minus the drawing:

* opens a session on ws://127.0.0.1:PORT/_stcore/stream (sub-protocol "streamlit");
* loads a page by sending a BackMsg ``rerun_script`` (a ClientState with the page's url path as
  ``page_name``, its ``page_script_hash`` once the server has told us, and the query string);
* then, every 2 s, either changes a widget (the reading-level radio, sent as ``widget_states``
  with the page's script hash) or moves to the next page of the site;
* and times each interaction from sending the BackMsg to receiving the ForwardMsg
  ``script_finished`` of the run it started.

Session and XSRF details for a loopback client (read from streamlit/web/server/starlette/
starlette_websocket.py in Streamlit 1.67): the server accepts a WebSocket without an Origin header
(it only checks Origin when one is sent), and the XSRF token it reads from the second
sub-protocol entry only gates the sign-in cookie. A loopback client without sign-in therefore
needs no cookie and no token; it sends the single sub-protocol "streamlit" and no Origin, so the
HTTP proxy settings of the environment are bypassed too (``proxy=None``).

Errors counted: a session that cannot connect, a connection that drops, no ``script_finished``
within --timeout seconds, a run that ends with a compile error, ``page_not_found``, and any
exception or st.error element the run draws.

For each level (10, 25, 50 visitors by default) and for each app (this site through serve.py,
then benchmarks/empty_app.py under the same settings) a fresh server is started, warmed up by
one visitor who opens every page once, left idle for a few seconds (idle CPU and RSS are read
from /proc/<pid>), then loaded for --duration seconds. Memory per extra session is the RSS
growth from idle to the end of the level (all sessions still connected) divided by the number
of visitors. The two apps alternate level by level, so drift in the machine's background load
hits both.

Targets (printed as PASS/FAIL, never asserted): 50 visitors with no errors, p95 ≤ 2× the empty
app's p95, memory per extra session ≤ 2× the empty app's. For reading the memory figures it also
prints the RSS growth per extra visitor between the smallest and the largest level (a slope, which
leaves out growth that comes once per server); that line is not a target.

Full run (about 7 minutes on a quiet machine): `.venv/bin/python benchmarks/load.py`
Smoke run: `.venv/bin/python benchmarks/load.py --duration 10 --levels 5`
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

from explainer.site import PAGES
from scripts.local_site import ROOT, start_server, stop_server

SITE_SCRIPT = "serve.py"
EMPTY_SCRIPT = "benchmarks/empty_app.py"
WIDGET_KEY = "audience"  # the reading-level radio on the site; the empty app has one with the same key
WIDGET_VALUES = ("Patient", "Trainee")
ACTIONS = ("widget", "widget", "navigate")  # what a visitor does at its 2 s ticks, in turn
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- the server process, read from /proc -------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process so far (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass(frozen=True)
class MachineSnapshot:
    """What the whole machine was doing, to tell how noisy a measurement was."""

    at: float  # time.monotonic()
    busy: float  # CPU seconds spent busy on all cores since boot (/proc/stat)
    pressure_us: int | None  # µs in which some task waited for a CPU (/proc/pressure/cpu), if available


def machine_snapshot() -> MachineSnapshot:
    values = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(values[:8]) - values[3] - values[4]  # user nice system [idle iowait] irq softirq steal
    pressure = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0]
        pressure = int(some.rsplit("total=", 1)[1])
    return MachineSnapshot(time.monotonic(), busy / CLOCK_TICKS, pressure)


def machine_noise(before: MachineSnapshot, after: MachineSnapshot, own_cpu_seconds: float) -> tuple[float, float]:
    """(CPU used by everything else, in % of one core; % of the time some task waited for a CPU)."""
    elapsed = max(after.at - before.at, 1e-9)
    others = 100 * (after.busy - before.busy - own_cpu_seconds) / elapsed
    if before.pressure_us is None or after.pressure_us is None:
        return others, float("nan")
    return others, 100 * (after.pressure_us - before.pressure_us) / 1e6 / elapsed


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- one simulated visitor ----------------------------------------------------------------------


class InteractionError(Exception):
    """An interaction that did not end in a clean, finished run; the message is the reason."""


@dataclass
class Visitor:
    ws_url: str
    page_paths: list[str]  # url paths of the app's pages, in menu order ("" is the default page)
    page_index: int
    timeout: float
    compression: str | None = "deflate"  # permessage-deflate, as browsers offer it
    ws: ClientConnection | None = None
    page_hashes: dict[str, str] = field(default_factory=dict)  # url path -> page_script_hash
    page_hash: str = ""
    query_string: str = ""
    widget_id: str | None = None
    widget_value: str = WIDGET_VALUES[0]

    async def open(self) -> None:
        """Open a new session and load this visitor's current page."""
        try:
            self.ws = await connect(
                self.ws_url,
                subprotocols=["streamlit"],
                compression=self.compression,
                proxy=None,
                max_size=None,
                max_queue=256,
                open_timeout=self.timeout,
            )
        except Exception as error:  # refused, timed out, or a failed WebSocket handshake
            raise InteractionError(f"connect: {type(error).__name__}") from error
        self.page_hash = ""
        self.widget_id = None
        await self.rerun(page_name=self.page_paths[self.page_index])

    async def change_widget(self) -> None:
        if self.widget_id is None:
            raise InteractionError("widget: the page drew no reading-level radio")
        self.widget_value = WIDGET_VALUES[1] if self.widget_value == WIDGET_VALUES[0] else WIDGET_VALUES[0]
        await self.rerun(page_name=self.page_paths[self.page_index], page_hash=self.page_hash)

    async def navigate(self) -> None:
        self.page_index = (self.page_index + 1) % len(self.page_paths)
        path = self.page_paths[self.page_index]
        # The browser drops the query string when it moves to another page; the site writes
        # ?audience= back itself.
        self.query_string = ""
        await self.rerun(page_name=path, page_hash=self.page_hashes.get(path, ""))

    async def rerun(self, *, page_name: str, page_hash: str = "") -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = page_name
        state.page_script_hash = page_hash
        if self.widget_id is not None:
            widget = state.widget_states.widgets.add()
            widget.id = self.widget_id
            widget.string_value = self.widget_value
        assert self.ws is not None
        try:
            await self.ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._read_run(), self.timeout)
        except TimeoutError as error:
            raise InteractionError(f"no script_finished within {self.timeout:g} s") from error
        except InteractionError:
            raise
        except Exception as error:  # the connection closed or broke
            raise InteractionError(f"connection: {type(error).__name__}") from error

    async def _read_run(self) -> None:
        """Read ForwardMsgs until the run we asked for has finished; raise on what a user would see as broken."""
        assert self.ws is not None
        started = False  # messages before our run's new_session belong to an earlier run
        problem: str | None = None
        while True:
            fmsg = ForwardMsg()
            fmsg.ParseFromString(await self.ws.recv())
            kind = fmsg.WhichOneof("type")
            if kind == "new_session":
                started = True
                self.page_hash = fmsg.new_session.page_script_hash
            elif not started:
                continue
            elif kind == "navigation":
                for page in fmsg.navigation.app_pages:
                    self.page_hashes[page.url_pathname] = page.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fmsg.page_info_changed.query_string
            elif kind == "page_not_found":
                problem = problem or f"page_not_found: {fmsg.page_not_found.page_name!r}"
            elif kind == "session_event" and fmsg.session_event.WhichOneof("type") == "script_compilation_exception":
                problem = problem or "script compilation exception"
            elif kind == "delta" and fmsg.delta.WhichOneof("type") == "new_element":
                element = fmsg.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "exception":
                    problem = problem or f"exception drawn: {element.exception.type}"
                elif element_type == "alert" and element.alert.format == Alert.ERROR:
                    problem = problem or "st.error drawn"
                elif element_type == "radio" and element.radio.id.endswith(f"-{WIDGET_KEY}"):
                    self.widget_id = element.radio.id
            elif kind == "script_finished":
                if fmsg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    problem = problem or "finished with compile error"
                if fmsg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the script asked for a rerun (st.rerun / st.switch_page): wait for that run
                if problem:
                    raise InteractionError(problem)
                return

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # already gone: nothing to clean up
                await self.ws.close()
            self.ws = None


# --- one level: N visitors against one server ---------------------------------------------------


@dataclass
class LevelResult:
    app: str
    visitors: int
    planned: int = 0
    done: int = 0
    skipped_ticks: int = 0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    by_page: dict[str, list[float]] = field(default_factory=dict)  # url path of the page the run drew -> seconds
    errors: Counter = field(default_factory=Counter)
    cpu_idle_pct: float = 0.0
    cpu_load_pct: float = 0.0
    client_cpu_pct: float = 0.0
    others_cpu_pct: float = 0.0
    cpu_pressure_pct: float = 0.0
    rss_idle: float = 0.0
    rss_loaded: float = 0.0
    rss_peak: float = 0.0

    @property
    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies.values() for value in values]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def mb_per_session(self) -> float:
        return (self.rss_loaded - self.rss_idle) / self.visitors

    @property
    def cpu_per_session(self) -> float:
        return (self.cpu_load_pct - self.cpu_idle_pct) / self.visitors


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


async def visitor_loop(visitor: Visitor, result: LevelResult, start_delay: float, deadline: float, interval: float) -> None:
    loop = asyncio.get_running_loop()
    await asyncio.sleep(start_delay)
    tick = loop.time()
    step = 0
    while tick < deadline:
        if visitor.ws is None:
            kind, action = "open", visitor.open
        else:
            kind = ACTIONS[step % len(ACTIONS)]
            action = visitor.change_widget if kind == "widget" else visitor.navigate
            step += 1
        result.planned += 1
        started = time.perf_counter()
        try:
            await action()
        except InteractionError as error:
            result.errors[f"{kind}: {error}"] += 1
            await visitor.close()  # start again with a new session at the next tick, as a reloading browser would
        else:
            seconds = time.perf_counter() - started
            result.latencies.setdefault(kind, []).append(seconds)
            result.by_page.setdefault(visitor.page_paths[visitor.page_index], []).append(seconds)
            result.done += 1
        now = loop.time()
        tick += interval
        while tick < now:  # the visitor was still waiting at this tick, so it did not act
            tick += interval
            if tick < deadline:
                result.skipped_ticks += 1
        if tick < deadline:
            await asyncio.sleep(tick - now)


async def warm_up(ws_url: str, page_paths: list[str], timeout: float, compression: str | None) -> None:
    """One visitor opens every page at both reading levels, so per-process caches are filled before measuring.

    The crowd switches the reading level on every page, and the site caches each page's views per
    level: a warm-up at one level only left the other level's first builds inside the measured minute.
    """
    visitor = Visitor(ws_url, page_paths, 0, timeout, compression)
    try:
        await visitor.open()
        for _ in page_paths[1:]:
            await visitor.navigate()
        await visitor.change_widget()
        for _ in page_paths:
            await visitor.navigate()
    finally:
        await visitor.close()


async def run_level(app: str, script: str, page_paths: list[str], visitors: int, args: argparse.Namespace) -> LevelResult:
    result = LevelResult(app=app, visitors=visitors)
    process, url = start_server(script=script, log_dir=ROOT / "artifacts")  # server log kept when artifacts/ exists
    pid = process.pid
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        await warm_up(ws_url, page_paths, args.timeout, args.compression)
        await asyncio.sleep(2)  # let the warm-up session close
        cpu_before = cpu_seconds(pid)
        await asyncio.sleep(args.idle)
        result.cpu_idle_pct = 100 * (cpu_seconds(pid) - cpu_before) / args.idle
        result.rss_idle = rss_mb(pid)

        rng = random.Random(args.seed + visitors)
        crowd = [Visitor(ws_url, page_paths, i % len(page_paths), args.timeout, args.compression) for i in range(visitors)]
        loop = asyncio.get_running_loop()
        wall_start = loop.time()
        deadline = wall_start + args.duration
        cpu_start, client_start, machine_start = cpu_seconds(pid), time.process_time(), machine_snapshot()
        peak = [result.rss_idle]

        async def sample_memory() -> None:
            while True:
                peak[0] = max(peak[0], rss_mb(pid))
                await asyncio.sleep(1)

        sampler = asyncio.create_task(sample_memory())
        # Visitors arrive spread over the first interval rather than all in the same millisecond.
        await asyncio.gather(*(visitor_loop(v, result, rng.uniform(0, args.interval), deadline, args.interval) for v in crowd))
        elapsed = loop.time() - wall_start
        server_cpu, client_cpu, machine_end = cpu_seconds(pid) - cpu_start, time.process_time() - client_start, machine_snapshot()
        result.cpu_load_pct = 100 * server_cpu / elapsed
        result.client_cpu_pct = 100 * client_cpu / elapsed
        result.others_cpu_pct, result.cpu_pressure_pct = machine_noise(machine_start, machine_end, server_cpu + client_cpu)
        await asyncio.sleep(1)
        sampler.cancel()
        result.rss_loaded = rss_mb(pid)
        result.rss_peak = max(peak[0], result.rss_loaded)
        await asyncio.gather(*(v.close() for v in crowd))
    finally:
        stop_server(process)
    return result


# --- reporting ------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def print_level(result: LevelResult) -> None:
    lat = result.all_latencies
    print(
        f"{result.app:<6}{result.visitors:>9}{result.done:>7}/{result.planned:<6}{result.skipped_ticks:>8}{result.error_count:>7}"
        f"{ms(percentile(lat, 50)):>8}{ms(percentile(lat, 95)):>8}{ms(percentile(lat, 99)):>8}"
        f"{result.cpu_idle_pct:>9.1f}{result.cpu_load_pct:>9.1f}{result.cpu_per_session:>10.2f}"
        f"{result.rss_idle:>9.1f}{result.rss_loaded:>9.1f}{result.rss_peak:>9.1f}{result.mb_per_session:>9.2f}{result.client_cpu_pct:>9.1f}"
        f"{result.others_cpu_pct:>9.0f}{result.cpu_pressure_pct:>7.0f}"
    )
    kinds = "  ".join(
        f"{kind} n={len(values)} p50={ms(percentile(values, 50))} p95={ms(percentile(values, 95))}"
        for kind, values in sorted(result.latencies.items())
    )
    print(f"{'':<6}{'':>9}  by kind (ms): {kinds}")
    if len(result.by_page) > 1:
        slowest = sorted(result.by_page.items(), key=lambda item: -percentile(item[1], 95))[:4]
        pages = "  ".join(f"/{path} p95={ms(percentile(values, 95))} (n={len(values)})" for path, values in slowest)
        print(f"{'':<6}{'':>9}  slowest pages (ms): {pages}")
    for reason, count in result.errors.most_common(5):
        print(f"{'':<6}{'':>9}  error x{count}: {reason}")


def ratio(ours: float, base: float) -> float:
    """ours / base; NaN when either is not positive (an RSS "growth" at or below zero is allocator noise)."""
    return ours / base if base > 0 and ours >= 0 else float("nan")


def verdict(value: float, limit: float, why_missing: str = "no figure") -> str:
    if value != value:  # NaN: nothing to compare
        return f"n/a ({why_missing})"
    return "PASS" if value <= limit else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per level (default 60)")
    parser.add_argument("--levels", default="10,25,50", help="comma-separated numbers of concurrent visitors (default 10,25,50)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between one visitor's actions (default 2)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a run to finish before it counts as an error")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of idle measurement before each level")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-compression",
        dest="compression",
        action="store_const",
        const=None,
        default="deflate",
        help="do not offer permessage-deflate (browsers do); shows how much per-session memory the compressor takes",
    )
    args = parser.parse_args()
    levels = [int(value) for value in args.levels.split(",") if value.strip()]

    site_paths = [page.url_path for page in PAGES]
    print(
        f"Load benchmark: {args.duration:g} s per level, one action per visitor every {args.interval:g} s, levels {levels}, "
        f"WebSocket compression {args.compression or 'off'}"
    )
    print(f"machine: {os.cpu_count()} cores, load average at start {load_average()}")
    results: dict[tuple[str, int], LevelResult] = {}
    for visitors in levels:
        for app, script, paths in (("empty", EMPTY_SCRIPT, [""]), ("site", SITE_SCRIPT, site_paths)):
            print(f"... {app}: {visitors} visitors", flush=True)
            results[app, visitors] = asyncio.run(run_level(app, script, paths, visitors, args))

    print()
    print("Interaction = BackMsg sent until its run's script_finished arrived (ms). CPU in % of one core (the machine has")
    print(f"{100 * (os.cpu_count() or 1)} %). client% = this load generator; others% = every other process on the machine;")
    print("psi% = share of the time some task waited for a CPU (/proc/pressure/cpu): high others%/psi% means noisy figures.")
    print(
        f"{'app':<6}{'visitors':>9}{'done/planned':>14}{'skipped':>8}{'errors':>7}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'cpu idle':>9}{'cpu load':>9}{'cpu/sess':>10}{'rss idle':>9}{'rss end':>9}{'rss peak':>9}{'MB/sess':>9}{'client%':>9}{'others%':>9}{'psi%':>7}"
    )
    for visitors in levels:
        for app in ("empty", "site"):
            print_level(results[app, visitors])

    print()
    print("Site as a ratio of the empty app (same level, same load):")
    print(f"{'visitors':>9}{'p50 x':>8}{'p95 x':>8}{'p99 x':>8}{'MB/sess x':>11}  targets")
    for visitors in levels:
        site, empty = results["site", visitors], results["empty", visitors]
        p95_ratio = ratio(percentile(site.all_latencies, 95), percentile(empty.all_latencies, 95))
        mem_ratio = ratio(site.mb_per_session, empty.mb_per_session)
        checks = [
            f"p95<=2x {verdict(p95_ratio, 2)}",
            f"mem/session<=2x {verdict(mem_ratio, 2, 'RSS growth within noise: use more visitors')}",
        ]
        if visitors == 50:
            checks.insert(0, f"50 visitors no errors {'PASS' if site.error_count == 0 and site.done > 0 else 'FAIL'}")
        print(
            f"{visitors:>9}{ratio(percentile(site.all_latencies, 50), percentile(empty.all_latencies, 50)):>8.1f}"
            f"{p95_ratio:>8.1f}{ratio(percentile(site.all_latencies, 99), percentile(empty.all_latencies, 99)):>8.1f}"
            f"{mem_ratio:>11.1f}  {'; '.join(checks)}"
        )
    if 50 not in levels:
        print("(the 50-visitor target was not measured in this run)")
    if len(levels) > 1:
        # MB/sess divides all RSS growth by the visitors, so growth that comes once per server (caches
        # filling, allocator arenas) weighs most at the smallest level. The slope between the smallest
        # and largest level leaves that out. Printed to read the figures, not as a target.
        low, high = min(levels), max(levels)
        slopes = {
            app: (
                (results[app, high].rss_loaded - results[app, high].rss_idle) - (results[app, low].rss_loaded - results[app, low].rss_idle)
            )
            / (high - low)
            for app in ("empty", "site")
        }
        print(
            f"RSS growth per extra visitor from {low} to {high} visitors (slope, not a target): site {slopes['site']:.2f} MB, "
            f"empty {slopes['empty']:.2f} MB, ratio {ratio(slopes['site'], slopes['empty']):.1f}"
        )
    print(f"load average at end {load_average()}")


if __name__ == "__main__":
    main()
