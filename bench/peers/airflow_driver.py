"""Airflow's Airbyte provider waiting on N jobs of the arazzo-temporal Airbyte simulator.

What users would run instead of arazzo-temporal is `AirbyteTriggerSyncOperator` from
apache-airflow-providers-airbyte (pinned in requirements.txt). This driver runs its two ways of
waiting, with the provider's own classes, against the simulator, and prints one JSON object:

* ``--mode trigger``: the deferrable path. ``AirbyteSyncTrigger`` (airflow/providers/airbyte/
  triggers/airbyte.py) is an async generator that calls ``AirbyteHook.get_job_status`` and
  ``asyncio.sleep(poll_interval)`` until the job is terminal or ``end_time`` passes. Airflow's
  triggerer (airflow/jobs/triggerer_job_runner.py, ``TriggerRunner.run_trigger``) runs every
  trigger as a task of ONE asyncio loop (``asyncio.run``), enters a greenback portal, and does
  ``async for event in trigger.run()``. This driver does the same for N triggers in one process.
  Note that the hook call inside ``run()`` is synchronous (airbyte-api's httpx.Client), so every
  poll blocks the whole loop; ``maxLoopLagMs`` measures that the way the triggerer's
  ``block_watchdog`` does (a 100 ms sleep that overran).
* ``--mode sensor``: ``AirbyteJobSensor.poke`` (airflow/providers/airbyte/sensors/airbyte.py),
  which builds a new ``AirbyteHook`` (connection lookup + a new airbyte-api client) on every poke
  and reads the job once. A reschedule-mode sensor pokes once per ``poke_interval``; here one
  scheduler-like loop calls ``poke`` for every due sensor in one process. The real thing also runs
  each poke as a task instance (a process, metadata DB writes), so this figure is a lower bound.

Jobs are created first, one by one, with ``AirbyteHook.submit_sync_connection`` (what the
operator's ``execute`` does before it defers or returns the job id); CPU and memory are measured
over the waiting phase only, from the first poll to the last job seen terminal.

No Airflow metadata database is needed. The hooks read their connection with
``BaseHook.get_connection`` → ``airflow.sdk.execution_time.context._get_connection``, whose
secrets backends outside a task runner (``supervisor.ensure_secrets_backend_loaded``: no
SUPERVISOR_COMMS, no ``_AIRFLOW_PROCESS_CONTEXT``) are the environment variables and external
backends only, never the MetastoreBackend. So ``AIRFLOW_CONN_AIRBYTE_DEFAULT`` (JSON or URI)
pointing at the simulator is all the configuration. AIRFLOW_HOME defaults to a temporary folder
so nothing is written to the user's ~/airflow.

Polls are counted by the simulator (``reads`` of each job in ``GET /_sim/jobs/{id}``), and the
detection overhead is the time from the job's end as the simulator computes it (``endedAt``) to
the moment the trigger yielded its event or ``poke`` returned.

Usage:
  AIRFLOW_CONN_AIRBYTE_DEFAULT='{"conn_type":"airbyte","host":"http://127.0.0.1:8090/v1"}' \\
    python bench/peers/airflow_driver.py --mode trigger --interval 3 \\
      (--connections-file ids.json | --n 100 [--scenario '{"runningMs": 30000}'])
      [--deadline 600] [--control-url http://127.0.0.1:8090/_sim] [--out result.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime
import urllib.request
from typing import Any

TERMINAL = {"succeeded", "failed", "cancelled"}
CONN_ENV = "AIRFLOW_CONN_AIRBYTE_DEFAULT"


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mode", choices=["trigger", "sensor"], required=True)
    p.add_argument("--interval", type=float, required=True, help="poll interval, seconds")
    p.add_argument("--connections-file", help="JSON array of simulator connection ids")
    p.add_argument("--n", type=int, help="create N simulator connections instead (control API)")
    p.add_argument("--scenario", default="{}", help="scenario JSON for --n connections")
    p.add_argument("--deadline", type=float, default=600, help="seconds to wait for all jobs")
    p.add_argument("--control-url", help="simulator control API (default: <conn host origin>/_sim)")
    p.add_argument("--conn-id", default="airbyte_default")
    p.add_argument("--out", help="write the JSON here too")
    args = p.parse_args(argv)
    if (args.connections_file is None) == (args.n is None):
        p.error("give exactly one of --connections-file and --n")
    if args.interval <= 0:
        p.error("--interval must be positive")
    return args


def conn_host() -> str:
    raw = os.environ.get(CONN_ENV)
    if not raw:
        sys.exit(f"{CONN_ENV} is not set: point it at the simulator, e.g. "
                 '\'{"conn_type":"airbyte","host":"http://127.0.0.1:8090/v1"}\'')
    if raw.lstrip().startswith("{"):
        host = json.loads(raw).get("host", "")
    else:
        parsed = urllib.parse.urlsplit(raw)
        host = f"http://{parsed.hostname}:{parsed.port}{parsed.path}"
    if not host:
        sys.exit(f"{CONN_ENV} has no host")
    return host


def control(url: str, method: str = "GET", body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read())


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def summarize(values: list[float]) -> dict[str, Any]:
    """Nearest-rank percentiles, as bench/lib/stats.ts `summarize`."""
    if not values:
        return {"count": 0}
    s = sorted(values)

    def pct(p: float) -> float:
        return s[min(len(s) - 1, max(0, -(-p * len(s) // 100) - 1))]

    return {
        "count": len(s),
        "p50": round(pct(50), 1),
        "p90": round(pct(90), 1),
        "p99": round(pct(99), 1),
        "max": round(s[-1], 1),
        "mean": round(sum(s) / len(s), 1),
    }


class Waits:
    """Per job: when the waiter saw it terminal (epoch ms) and with what outcome."""

    def __init__(self, job_ids: list[int]) -> None:
        self.job_ids = job_ids
        self.detected_ms: dict[int, float] = {}
        self.outcome: dict[int, str] = {}

    def seen(self, job_id: int, outcome: str) -> None:
        self.detected_ms[job_id] = time.time() * 1000
        self.outcome[job_id] = outcome


def wait_with_triggers(args: argparse.Namespace, job_ids: list[int], waits: Waits) -> dict[str, Any]:
    import asyncio

    import greenback
    from airflow.providers.airbyte.triggers.airbyte import AirbyteSyncTrigger

    lag = {"maxMs": 0.0, "over200Ms": 0}
    done = {"stop": False}

    async def watchdog() -> None:
        # As TriggerRunner.block_watchdog: a 100 ms sleep that takes longer means a blocked loop.
        while not done["stop"]:
            t = time.monotonic()
            await asyncio.sleep(0.1)
            overrun = (time.monotonic() - t - 0.1) * 1000
            lag["maxMs"] = max(lag["maxMs"], overrun)
            if overrun > 200:
                lag["over200Ms"] += 1

    async def run_trigger(job_id: int, trigger: Any) -> None:
        # As TriggerRunner.run_trigger (unless AIRFLOW_DISABLE_GREENBACK_PORTAL=true).
        await greenback.ensure_portal()
        async for event in trigger.run():
            # Every event ends the wait; whether the job had really ended is checked afterwards.
            waits.seen(job_id, f"{event.payload.get('status')}: {event.payload.get('message')}")
            break

    async def main() -> None:
        end_time = time.time() + args.deadline
        triggers = [
            AirbyteSyncTrigger(job_id=j, conn_id=args.conn_id, end_time=end_time, poll_interval=args.interval)
            for j in job_ids
        ]
        dog = asyncio.create_task(watchdog())
        await asyncio.gather(*(run_trigger(j, t) for j, t in zip(job_ids, triggers)))
        done["stop"] = True
        await dog

    asyncio.run(main())
    return {"maxLoopLagMs": round(lag["maxMs"], 1), "loopBlockedOver200Ms": lag["over200Ms"]}


def wait_with_sensors(args: argparse.Namespace, job_ids: list[int], waits: Waits) -> dict[str, Any]:
    import heapq

    from airflow.providers.airbyte.sensors.airbyte import AirbyteJobSensor
    from airflow.providers.common.compat.sdk import AirflowException

    sensors = {
        j: AirbyteJobSensor(
            task_id=f"wait_for_job_{j}",
            airbyte_job_id=j,
            airbyte_conn_id=args.conn_id,
            mode="reschedule",
            poke_interval=args.interval,
            deferrable=False,
        )
        for j in job_ids
    }
    deadline = time.monotonic() + args.deadline
    due = [(time.monotonic(), j) for j in job_ids]
    heapq.heapify(due)
    late_ms = 0.0
    while due and time.monotonic() < deadline:
        at, j = heapq.heappop(due)
        now = time.monotonic()
        if at > now:
            time.sleep(at - now)
        else:
            late_ms = max(late_ms, (now - at) * 1000)
        try:
            if sensors[j].poke({}):
                waits.seen(j, "success: poke returned True")
                continue
        except AirflowException as e:
            waits.seen(j, f"error: {str(e).splitlines()[0]}")
            continue
        # reschedule mode: the next try is poke_interval after this one ended
        heapq.heappush(due, (time.monotonic() + args.interval, j))
    for _, j in due:
        waits.outcome.setdefault(j, "deadline")
    return {"maxPokeLatenessMs": round(late_ms, 1)}


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # Airflow logs to stdout; keep stdout for the JSON result and send everything else to stderr.
    result_out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    scratch_home = None
    if "AIRFLOW_HOME" not in os.environ:
        scratch_home = tempfile.mkdtemp(prefix="airflow-peer-")
        os.environ["AIRFLOW_HOME"] = scratch_home

    api_url = conn_host().rstrip("/")
    parts = urllib.parse.urlsplit(api_url)
    control_url = (args.control_url or f"{parts.scheme}://{parts.netloc}/_sim").rstrip("/")

    if args.connections_file:
        with open(args.connections_file) as f:
            connection_ids = [str(c) for c in json.load(f)]
    else:
        scenario = json.loads(args.scenario)
        connection_ids = [
            control(f"{control_url}/connections", "POST", {"scenario": scenario})["connectionId"]
            for _ in range(args.n)
        ]

    cpu0 = time.process_time()
    rss0 = rss_kb()
    from airflow.providers.airbyte.hooks.airbyte import AirbyteHook

    # Import the waiting classes now, so their import is not counted as waiting.
    if args.mode == "trigger":
        import airflow.providers.airbyte.triggers.airbyte  # noqa: F401
        import greenback  # noqa: F401
    else:
        import airflow.providers.airbyte.sensors.airbyte  # noqa: F401
    import_cpu = time.process_time() - cpu0

    create_cpu0 = time.process_time()
    hook = AirbyteHook(airbyte_conn_id=args.conn_id)
    job_ids = [int(hook.submit_sync_connection(connection_id=c).job_id) for c in connection_ids]
    create_cpu = time.process_time() - create_cpu0
    del hook

    waits = Waits(job_ids)
    rss_before = rss_kb()
    cpu_before = time.process_time()
    wall_before = time.monotonic()
    extra = (wait_with_triggers if args.mode == "trigger" else wait_with_sensors)(args, job_ids, waits)
    wait_cpu = time.process_time() - cpu_before
    wall = time.monotonic() - wall_before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    polls = 0
    detection: list[float] = []
    jobs = []
    for j in job_ids:
        sim_job = control(f"{control_url}/jobs/{j}")
        polls += int(sim_job.get("reads", 0))
        ended = sim_job.get("endedAt")
        seen = waits.detected_ms.get(j)
        overhead = None
        if ended and seen is not None:
            overhead = seen - datetime.fromisoformat(ended).timestamp() * 1000
            # A wait that ended before the job did (a timeout, or a status the peer does not know,
            # such as `queued` for the trigger) is not a detection.
            if overhead >= 0:
                detection.append(overhead)
        jobs.append(
            {
                "jobId": j,
                "simStatus": sim_job.get("status"),
                "outcome": waits.outcome.get(j, "not seen"),
                "detectionOverheadMs": None if overhead is None else round(overhead, 1),
            }
        )

    from importlib.metadata import version

    n = len(job_ids)
    result = {
        "peer": f"airflow-{args.mode}",
        "mode": args.mode,
        "n": n,
        "intervalSeconds": args.interval,
        "versions": {
            "python": sys.version.split()[0],
            "apache-airflow": version("apache-airflow"),
            "apache-airflow-providers-airbyte": version("apache-airflow-providers-airbyte"),
            "airbyte-api": version("airbyte-api"),
        },
        "detected": len(detection),
        "polls": polls,
        "cpuSeconds": round(wait_cpu, 3),
        "cpuMsPerPoll": round(wait_cpu * 1000 / max(1, polls), 3),
        "wallSeconds": round(wall, 2),
        "rssBeforeWaitMb": round(rss_before / 1024, 1),
        "peakRssMb": round(peak_kb / 1024, 1),
        "rssPerWaitingJobKb": round(max(0, peak_kb - rss_before) / max(1, n), 1),
        "detectionOverheadMs": summarize(detection),
        "importCpuSeconds": round(import_cpu, 3),
        "createCpuSeconds": round(create_cpu, 3),
        "rssAtStartMb": round(rss0 / 1024, 1),
        **extra,
        "jobs": jobs,
    }
    text = json.dumps(result)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    result_out.write(text + "\n")
    result_out.flush()
    if scratch_home:
        shutil.rmtree(scratch_home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
