package services.ergo.spring.leader;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderStatus;

/**
 * Leader groups with a member on this node: up when each knows its leader; down while one has none (an election
 * is running, or this member is cut off from a majority). Details per group: term, leader, whether this node leads.
 */
public final class ErgoLeaderHealthIndicator extends AbstractHealthIndicator {
    private final LeaderGroups groups;

    public ErgoLeaderHealthIndicator(LeaderGroups groups) {
        super("Ergo leader health check failed");
        this.groups = groups;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allKnown = true;
        for (LeaderStatus s : groups.statuses()) {
            builder.withDetail(s.clusterId(), LeaderGroups.describe(s));
            // a member that knows no leader is down; an instance outside the group (joining, or removed) is not
            // part of any quorum, and says so in inGroup
            allKnown &= s.leader() != null || !s.member();
        }
        if (allKnown) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
