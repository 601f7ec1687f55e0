"""An office whose NATS is a three-node cluster (DESIGN: the code assumes nothing single-node):
its streams have three replicas, and losing a node while events flow loses none of them and
applies none twice."""

from pathlib import Path

import pytest

from wushe_embedded import nats_cluster
from wushe_events.catalogue.needs import CommunityRegistered
from wushe_events.consumer import Consumer, ConsumerSpec
from wushe_events.jetstream import connect
from wushe_events.relay import Relay
from wushe_events.store import EventStore
from wushe_events.subjects import dead_letter_stream, office_subjects, stream_name
from wushe_events.testing import wait_until


async def append(store: EventStore, *slugs: str) -> None:
    for slug in slugs:
        async with store.transaction() as tx:
            await tx.append(0, [CommunityRegistered(community_id=slug, name="社区", street="街道")])


@pytest.fixture
def cluster(tmp_path: Path):
    nodes = nats_cluster(tmp_path / "nats")
    try:
        for node in nodes:
            node.start()
        yield nodes
    finally:
        for node in nodes:
            node.stop()


@pytest.mark.timeout(180)
async def test_a_node_of_the_cluster_is_lost_while_events_flow_and_none_is_lost(
    cluster, event_store, connect_test_schema, counts, counting, background
):
    office = event_store.office
    client = await connect(",".join(node.url for node in cluster), "wushe-cluster-test")
    try:
        js = client.jetstream()
        # Started at once: the relay and the consumer wait for the cluster's meta leader.
        background(
            Relay(
                js,
                office=office,
                connect=connect_test_schema,
                schema="test",
                poll_interval=0.2,
                standby_interval=0.1,
                protect_stream=False,
                stream_replicas=3,
            ).run()
        )
        spec = ConsumerSpec("counter", stream_name(office), office_subjects(office), counting)
        background(Consumer(spec, event_store, js, office=office, stream_replicas=3).run())
        first = [f"a-{n}" for n in range(10)]
        await append(event_store, *first)

        async def counted(slugs: list[str]) -> bool:
            return set(slugs) <= set(await counts())

        await wait_until(lambda: counted(first), timeout=60, message="the first ten counted")
        info = await js.stream_info(stream_name(office))
        assert info.config.num_replicas == 3
        assert info.cluster is not None
        assert len(info.cluster.replicas or []) == 2
        dead_letters = await js.stream_info(dead_letter_stream(office))
        assert dead_letters.config.num_replicas == 3

        leader = info.cluster.leader
        [lost] = [node for node in cluster if node.server_name == leader]
        assert lost.process is not None
        lost.process.kill()  # the stream's leader dies; no clean shutdown
        lost.process.wait()

        second = [f"b-{n}" for n in range(10)]
        await append(event_store, *second)
        await wait_until(lambda: counted(first + second), timeout=90, message="all counted")
        assert await counts() == dict.fromkeys(first + second, 1)
        after = await js.stream_info(stream_name(office))
        assert after.cluster is not None
        assert after.cluster.leader != leader
        assert after.state.messages == 20
    finally:
        await client.close()
