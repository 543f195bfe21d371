package services.ergo.leader;

/** An election message between the members of one election, as it travels. */
public record LeaderMessage(String clusterId, String from, Election.Message message) {}
