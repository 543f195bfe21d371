package services.ergo.testkit;

import services.ergo.gen.Pid;

/** One thing a {@link TestProbe} received: who sent it and what. Events come with the node's core as sender. */
public record Received(Pid from, Object message) {}
