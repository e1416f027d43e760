"""Two beat replicas: only the Lease holder publishes, each fire exactly once, and the standby
takes over when the leader dies or stops."""

import re
import signal
import time
from collections import Counter

import resources
import stack
from taskfleet.local import processes

PUBLISHED = re.compile(r"beat: published \S+ for (\S+) due (\S+) as")


def publishes(beats, key):
    """(beat name, due) of every publish of ``key`` in the beats' logs."""
    found = []
    for name, process in beats.items():
        for line in process.log.read_text().splitlines():
            match = PUBLISHED.search(line)
            if match and match.group(1) == key:
                found.append((name, match.group(2)))
    return found


def lease_holder(install):
    return install.kubectl(
        "get",
        "lease",
        "taskfleet-beat",
        "-n",
        install.namespace,
        "--ignore-not-found",
        "-o",
        "jsonpath={.spec.holderIdentity}",
    )


def leader_name(install, beats):
    holder = stack.eventually(lambda: lease_holder(install), 15, "a lease holder")
    pid = int(holder.split("_")[-2])
    return next(name for name, p in beats.items() if p.pid == pid)


def assert_each_fire_once(install, beats, key):
    dues = [due for _, due in publishes(beats, key)]
    duplicated = {d: n for d, n in Counter(dues).items() if n > 1}
    assert not duplicated, f"published more than once: {duplicated}"
    run_dues = [r.due_at for r in stack.scheduled_runs(install, key)]
    assert len(run_dues) == len(set(run_dues)), "a fire ran twice"
    return dues


def test_two_beats_publish_each_fire_once_and_the_standby_takes_over(make_installation, namespace):
    install = make_installation()
    started = stack.start(install, beats=2)
    beats = {n: p for n, p in started.items() if n.startswith("beat")}
    key = f"{namespace}/tick"
    resources.apply(
        install, resources.scheduled_task("tick", namespace, schedule={"interval": "1s"})
    )
    stack.eventually(lambda: len(publishes(beats, key)) >= 8, 40, "eight fires")

    leader = leader_name(install, beats)
    assert {name for name, _ in publishes(beats, key)} == {leader}, "only the leader publishes"
    assert_each_fire_once(install, beats, key)

    # SIGKILL: no release, so the standby waits out the lease (3 s in tests) and then leads.
    beats[leader].signal(signal.SIGKILL)
    killed_at = time.monotonic()
    standby = next(name for name in beats if name != leader)
    before = len(publishes(beats, key))
    stack.eventually(
        lambda: any(n == standby for n, _ in publishes(beats, key)), 20, "the standby to publish"
    )
    takeover = time.monotonic() - killed_at
    assert takeover < 10, f"takeover took {takeover:.1f}s"
    stack.eventually(lambda: len(publishes(beats, key)) >= before + 3, 20, "firing to continue")
    dues = assert_each_fire_once(install, beats, key)
    assert len(dues) >= 11


def test_a_stopping_leader_hands_over_at_once(make_installation, namespace):
    install = make_installation(
        TASKFLEET_LEASE_DURATION_SECONDS="30", TASKFLEET_LEASE_RENEW_DEADLINE_SECONDS="20"
    )
    started = stack.start(install, beats=2, workers=0, operator=False)
    beats = {n: p for n, p in started.items() if n.startswith("beat")}
    leader = leader_name(install, beats)
    old_holder = lease_holder(install)
    beats[leader].stop()  # SIGTERM: beat releases the Lease on the way out
    stopped_at = time.monotonic()
    processes.wait_until(lambda: lease_holder(install) not in ("", old_holder), 10, "a new holder")
    # Far sooner than the 30 s lease: the release let the standby in on its next attempt.
    assert time.monotonic() - stopped_at < 5
