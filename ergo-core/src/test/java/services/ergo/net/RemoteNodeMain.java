package services.ergo.net;

import java.time.Duration;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * A node in its own JVM for the multi-process tests: {@code RemoteNodeMain <name> <cookie> <peer> <peerPort>}.
 * Runs a registered "echo" that answers calls and, told a pid, calls that pid and sends it the answer. Prints {@code READY <port>}.
 */
public final class RemoteNodeMain {
    private RemoteNodeMain() {}

    /** Calls back whoever it is told to, and answers calls with "echo:" and the request. */
    public static final class Echo extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Pid target) {
                Object answer = call(target, "from " + node().name(), Duration.ofSeconds(5));
                send(target, "called back: " + answer);
            }
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return "echo:" + request;
        }
    }

    public static void main(String[] args) throws Exception {
        Node node = Ergo.startNode(
                args[0],
                NodeOptions.builder()
                        .registrar(() -> new EmbeddedRegistrar(
                                EmbeddedRegistrar.Options.defaults().withPort(Integer.parseInt(args[2]))))
                        .cookie(args[1])
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        System.out.println("READY " + node.network().acceptor().port() + " "
                + ((EmbeddedRegistrar) node.network().registrar()).serving());
        System.out.flush();
        node.await();
    }
}
