package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import services.ergo.leader.Election;
import services.ergo.leader.LeaderMessage;
import services.ergo.leader.Membership;

/**
 * Every election message crosses the codec as a link carries it (one decoder, many messages), before Fory has
 * compiled its serializers: a {@code List<String>} beside a nested membership once failed there.
 */
class ElectionWireTest {

    @Test
    void everyElectionMessageDecodesOnOneLink() {
        ForyCodec codec = new ForyCodec();
        for (Class<?> c : LeaderMessage.WIRE_TYPES) {
            codec.register(c);
        }
        Membership three = Membership.initial(List.of("m@a", "m@b", "m@c"));
        List<Election.Message> messages = List.of(
                new Election.Heartbeat(3, "m@a", three, false, null),
                new Election.Heartbeat(3, "m@a", three.next(3, List.of("m@a", "m@b")), true, new String[] {"m@a"}),
                new Election.Heartbeat(
                        4, "m@b", new Membership(4, 7, List.of("m@b")), true, new String[] {"m@b", "m@d"}),
                new Election.HeartbeatAck(3, true, 3, 1),
                new Election.PreVote(5, "m@c", 3, 1),
                new Election.PreVoteReply(4, false),
                new Election.RequestVote(5, "m@c", 3, 1),
                new Election.Vote(5, true),
                new Election.MemberChange(0, "m@d", true, 1));
        ForyCodec.Decoder link = codec.newDecoder();
        for (Election.Message m : messages) {
            ByteBuf frame = Unpooled.buffer();
            codec.encode(new LeaderMessage("g", "m@a", m), frame);
            Object decoded = link.decode(frame, frame.readableBytes());
            assertThat(decoded).usingRecursiveComparison().isEqualTo(new LeaderMessage("g", "m@a", m));
        }
    }
}
