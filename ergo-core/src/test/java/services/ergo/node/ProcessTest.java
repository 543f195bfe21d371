package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.Alias;
import services.ergo.gen.CallResult;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MailboxFullException;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessState;
import services.ergo.gen.ProcessTerminatedException;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

class ProcessTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Ergo.startNode(
                "proc@localhost",
                NodeOptions.builder()
                        .network(NetworkOptions.off())
                        .callTimeout(Duration.ofSeconds(2))
                        .build());
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    @Test
    void nodeNameMustBeNameAtHost() {
        assertThatThrownBy(() -> Ergo.startNode("nohost", NodeOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name@host");
    }

    @Test
    void spawnGivesPidsOfThisNodeAndCreation() {
        Pid a = node.spawn(() -> new Recorder(), ProcessOptions.defaults(), Recorder.queue());
        Pid b = node.spawn(() -> new Recorder(), ProcessOptions.defaults(), Recorder.queue());
        assertThat(a.node()).isEqualTo("proc@localhost");
        assertThat(a.creation()).isEqualTo(node.creation());
        assertThat(a).isNotEqualTo(b);
        assertThat(node.processInfo(a).state()).isIn(ProcessState.SLEEP, ProcessState.RUNNING);
    }

    @Test
    void messagesArriveInOrderWithTheSender() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid r = node.spawn(Recorder::new, ProcessOptions.defaults(), q);
        for (int i = 0; i < 1000; i++) {
            node.send(r, i);
        }
        for (int i = 0; i < 1000; i++) {
            Recorder.Got got = (Recorder.Got) Recorder.take(q);
            assertThat(got.message()).isEqualTo(i);
            assertThat(got.from()).isEqualTo(node.corePid());
        }
    }

    @Test
    void registeredNamesProcessIdsAndAliasesAddressTheProcess() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid r = node.spawnRegister("rec", Recorder::new, ProcessOptions.defaults(), q);
        assertThat(node.whereIs("rec")).isEqualTo(r);
        node.send("rec", "by-name");
        node.send(new ProcessId("rec", node.name()), "by-process-id");
        assertThat(((Recorder.Got) Recorder.take(q)).message()).isEqualTo("by-name");
        assertThat(((Recorder.Got) Recorder.take(q)).message()).isEqualTo("by-process-id");
        assertThatThrownBy(() -> node.spawnRegister("rec", Recorder::new, ProcessOptions.defaults(), q))
                .isInstanceOf(NameTakenException.class);
        node.unregisterName("rec");
        assertThat(node.whereIs("rec")).isNull();
        assertThatThrownBy(() -> node.send("rec", "x")).isInstanceOf(ProcessUnknownException.class);
    }

    static final class AliasMaker extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if ("alias".equals(request)) {
                return createAlias();
            }
            if (request instanceof Alias a) {
                deleteAlias(a);
                return "deleted";
            }
            return "got " + request;
        }
    }

    @Test
    void aliasesWorkUntilDeleted() {
        Pid p = node.spawn(AliasMaker::new, ProcessOptions.defaults());
        Alias alias = (Alias) node.call(p, "alias");
        assertThat(node.call(alias, "hello")).isEqualTo("got hello");
        assertThat(node.processInfo(p).aliases()).containsExactly(alias);
        assertThat(node.call(p, alias)).isEqualTo("deleted");
        assertThatThrownBy(() -> node.call(alias, "hello")).isInstanceOf(ProcessUnknownException.class);
    }

    @Test
    void sendingToAnUnknownProcessFailsAtOnce() {
        Pid ghost = new Pid(node.name(), 999_999, node.creation());
        assertThatThrownBy(() -> node.send(ghost, "x"))
                .isInstanceOf(ProcessUnknownException.class)
                .hasMessageContaining("999999");
        assertThatThrownBy(() -> node.send(42, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer");
    }

    static final class Blocker extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) throws Exception {
            if (message instanceof CountDownLatch l) {
                l.await(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void boundedMailboxRefusesWithAClearErrorAndLosesNothing() {
        CountDownLatch gate = new CountDownLatch(1);
        Pid p = node.spawn(Blocker::new, ProcessOptions.defaults().withMailboxSize(10));
        node.send(p, gate); // the process takes this one and blocks
        await().until(() -> node.processInfo(p).mailbox().main() == 0);
        for (int i = 0; i < 10; i++) {
            node.send(p, i);
        }
        assertThatThrownBy(() -> node.send(p, "one too many"))
                .isInstanceOf(MailboxFullException.class)
                .hasMessageContaining("is full (size 10)");
        assertThat(node.processInfo(p).mailbox().main()).isEqualTo(10);
        gate.countDown();
        await().until(() -> node.processInfo(p).messagesIn() == 11);
    }

    static final class Prioritized extends Actor {
        final List<Object> seen = new ArrayList<>();

        @Override
        protected void handleMessage(Pid from, Object message) throws Exception {
            if (message instanceof CountDownLatch l) {
                l.await(10, TimeUnit.SECONDS);
                return;
            }
            seen.add(message);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return List.copyOf(seen);
        }
    }

    @Test
    void urgentThenSystemThenMain() {
        CountDownLatch gate = new CountDownLatch(1);
        Pid p = node.spawn(Prioritized::new, ProcessOptions.defaults());
        node.send(p, gate);
        await().until(() -> node.processInfo(p).state() == ProcessState.RUNNING);
        node.sendWithPriority(p, "normal", MessagePriority.NORMAL);
        node.sendWithPriority(p, "high", MessagePriority.HIGH);
        node.sendWithPriority(p, "max", MessagePriority.MAX);
        assertThat(node.processInfo(p).mailbox().urgent()).isEqualTo(1);
        assertThat(node.processInfo(p).mailbox().system()).isEqualTo(1);
        gate.countDown();
        assertThat(node.call(p, "seen")).isEqualTo(List.of("max", "high", "normal"));
    }

    @Test
    void aHandlerExceptionEndsOnlyThatProcessAndTellsMonitorsAndLinks() throws Exception {
        BlockingQueue<Object> watcherQ = Recorder.queue();
        BlockingQueue<Object> trapperQ = Recorder.queue();
        Pid victim = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        Pid watcher = node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, victim, "monitor");
        Pid trapper = node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), trapperQ, victim, "link-trap");
        Pid bystander = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        await().until(() -> node.processInfo(victim).monitoredBy().size() == 1
                && node.processInfo(victim).links().size() == 1);

        node.send(victim, "crash");

        Object down = Recorder.take(watcherQ);
        assertThat(down).isInstanceOf(services.ergo.gen.MessageDownPid.class);
        services.ergo.gen.MessageDownPid d = (services.ergo.gen.MessageDownPid) down;
        assertThat(d.pid()).isEqualTo(victim);
        assertThat(d.reason().error()).isInstanceOf(IllegalStateException.class).hasMessage("asked to crash");
        assertThat(d.reason().isAbnormal()).isTrue();
        Object exit = Recorder.take(trapperQ);
        assertThat(exit).isInstanceOf(services.ergo.gen.MessageExitPid.class);
        assertThat(((services.ergo.gen.MessageExitPid) exit).pid()).isEqualTo(victim);
        assertThatThrownBy(() -> node.processInfo(victim)).isInstanceOf(ProcessUnknownException.class);
        assertThat(node.call(bystander, "still here")).isEqualTo("still here");
        assertThat(node.call(watcher, "alive")).isEqualTo("alive");
    }

    /** Links or monitors args[1] in init (mode args[2]) and reports what it gets to args[0]. */
    static final class LinkerMonitor extends Recorder {
        @Override
        protected void setUp(Object... args) {
            Object target = args[1];
            switch ((String) args[2]) {
                case "monitor" -> monitor(target);
                case "link" -> link(target);
                case "link-trap" -> {
                    setTrapExit(true);
                    link(target);
                }
                default -> throw new IllegalArgumentException(String.valueOf(args[2]));
            }
        }
    }

    @Test
    void aLinkedProcessWithoutTrapExitDiesWithTheSameReason() throws Exception {
        BlockingQueue<Object> watcherQ = Recorder.queue();
        Pid victim = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        Pid linked = node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), Recorder.queue(), victim, "link");
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, linked, "monitor");
        node.send(victim, "crash");
        services.ergo.gen.MessageDownPid d = (services.ergo.gen.MessageDownPid) Recorder.take(watcherQ);
        assertThat(d.pid()).isEqualTo(linked);
        assertThat(d.reason().text()).contains("asked to crash");
    }

    @Test
    void aNormalEndDoesNotTakeLinkedProcessesWithIt() throws Exception {
        Pid victim = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        Pid linked = node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), Recorder.queue(), victim, "link");
        BlockingQueue<Object> watcherQ = Recorder.queue();
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, victim, "monitor");
        node.send(victim, "stop");
        services.ergo.gen.MessageDownPid d = (services.ergo.gen.MessageDownPid) Recorder.take(watcherQ);
        assertThat(d.reason()).isEqualTo(Reason.NORMAL);
        assertThat(node.call(linked, "alive")).isEqualTo("alive");
        assertThat(node.processInfo(linked).links()).isEmpty();
    }

    @Test
    void monitorAndLinkByNameAndUnknownTargets() throws Exception {
        node.spawnRegister("named", Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        BlockingQueue<Object> q = Recorder.queue();
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), q, "named", "monitor");
        node.send("named", "crash");
        services.ergo.gen.MessageDownProcessId d = (services.ergo.gen.MessageDownProcessId) Recorder.take(q);
        assertThat(d.processId()).isEqualTo(new ProcessId("named", node.name()));
        assertThatThrownBy(() -> node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), q, "nobody", "monitor"))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("unknown process nobody");
    }

    @Test
    void sendExitEndsANonTrappingProcessAndIsAMessageForATrappingOne() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid trapping = node.spawn(Recorder::new, ProcessOptions.defaults(), q, "trap");
        Pid sender = node.spawn(Exiter::new, ProcessOptions.defaults());
        node.send(sender, new Object[] {trapping, Reason.of("please")});
        services.ergo.gen.MessageExitPid m = (services.ergo.gen.MessageExitPid) Recorder.take(q);
        assertThat(m.reason().text()).isEqualTo("please");
        assertThat(m.pid()).isEqualTo(sender);

        BlockingQueue<Object> watcherQ = Recorder.queue();
        Pid plain = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, plain, "monitor");
        node.sendExit(plain, Reason.NORMAL); // ignored without trap-exit
        assertThat(node.call(plain, "alive")).isEqualTo("alive");
        node.sendExit(plain, Reason.SHUTDOWN);
        assertThat(((services.ergo.gen.MessageDownPid) Recorder.take(watcherQ)).reason())
                .isEqualTo(Reason.SHUTDOWN);

        node.sendExit(trapping, Reason.KILL); // cannot be trapped
        await().until(() -> node.whereIs("x") == null && !isAlive(trapping));
    }

    @Test
    void anExitSignalFromTheParentEndsEvenATrappingActor() throws Exception {
        Pid trapping = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue(), "trap");
        BlockingQueue<Object> watcherQ = Recorder.queue();
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, trapping, "monitor");
        node.sendExit(trapping, Reason.SHUTDOWN); // the node's core is the parent of what the node spawned
        assertThat(((services.ergo.gen.MessageDownPid) Recorder.take(watcherQ)).reason())
                .isEqualTo(Reason.SHUTDOWN);
    }

    static final class Exiter extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            Object[] m = (Object[]) message;
            sendExit((Pid) m[0], (Reason) m[1]);
        }
    }

    private boolean isAlive(Pid pid) {
        try {
            node.processInfo(pid);
            return true;
        } catch (ProcessUnknownException e) {
            return false;
        }
    }

    @Test
    void killEndsAProcessEvenInsideAHandlerAndItBecomesAZombieUntilItReturns() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        Pid p = node.spawn(Blocker::new, ProcessOptions.defaults());
        BlockingQueue<Object> watcherQ = Recorder.queue();
        node.spawn(LinkerMonitor::new, ProcessOptions.defaults(), watcherQ, p, "monitor");
        node.send(p, gate);
        await().until(() -> node.processInfo(p).state() == ProcessState.RUNNING);
        node.kill(p);
        services.ergo.gen.MessageDownPid d = (services.ergo.gen.MessageDownPid) Recorder.take(watcherQ);
        assertThat(d.reason()).isEqualTo(Reason.KILL);
        assertThat(isAlive(p)).isFalse();
        gate.countDown();
        assertThatThrownBy(() -> node.kill(p)).isInstanceOf(ProcessUnknownException.class);
    }

    static final class Caller extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] req = (Object[]) request;
            return call(req[0], req[1], Duration.ofMillis((Long) req[2]));
        }
    }

    static final class Silent extends Actor {
        Pid pendingFrom;
        Ref pendingRef;

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if ("later".equals(request)) {
                pendingFrom = from;
                pendingRef = ref;
                sendAfter(pid(), "answer-now", Duration.ofMillis(20));
            }
            return null; // answer later, or never
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("answer-now".equals(message)) {
                sendResponse(pendingFrom, pendingRef, "answered later");
            }
        }
    }

    @Test
    void callsReturnValuesAnswerLaterAndTimeOut() {
        Pid silent = node.spawn(Silent::new, ProcessOptions.defaults());
        Pid caller = node.spawn(Caller::new, ProcessOptions.defaults());
        assertThat(node.call(silent, "later")).isEqualTo("answered later");
        assertThat(node.call(caller, new Object[] {silent, "later", 2000L})).isEqualTo("answered later");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(silent, "never", Duration.ofMillis(100)))
                .isInstanceOf(CallTimeoutException.class)
                .hasMessageContaining("timed out after 100 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        // the inner call's timeout escapes the caller's handler, which ends the caller: its own caller learns at once
        assertThatThrownBy(() -> node.call(caller, new Object[] {silent, "never", 50L}))
                .isInstanceOf(ProcessTerminatedException.class)
                .hasMessageContaining("timed out");
        Pid caller2 = node.spawn(Caller::new, ProcessOptions.defaults());
        assertThat(node.call(caller2, new Object[] {silent, "later", 2000L})).isEqualTo("answered later");
    }

    @Test
    void aCallToAProcessThatCrashesFailsAtOnce() {
        Pid r = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> node.call(r, "crash")).isInstanceOf(ProcessTerminatedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    }

    static final class SelfCaller extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            try {
                call(pid(), "me");
                return "no error";
            } catch (NotAllowedException e) {
                return e.getMessage();
            }
        }
    }

    @Test
    void aProcessCannotCallItself() {
        Pid p = node.spawn(SelfCaller::new, ProcessOptions.defaults());
        assertThat((String) node.call(p, "go")).contains("cannot call itself");
    }

    static final class AsyncCaller extends services.ergo.testing.Reporter {
        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Object[] req) {
                report(callAsync(req[0], req[1], Duration.ofMillis(200)));
            } else if (message instanceof CallResult r) {
                report(r);
            }
        }
    }

    @Test
    void asyncCallsDeliverResultsAndTimeoutsAsMessages() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid echo = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        Pid silent = node.spawn(Silent::new, ProcessOptions.defaults());
        Pid p = node.spawn(AsyncCaller::new, ProcessOptions.defaults(), q);
        node.send(p, new Object[] {echo, "ping"});
        Ref ref = (Ref) Recorder.take(q);
        CallResult r = (CallResult) Recorder.take(q);
        assertThat(r.ref()).isEqualTo(ref);
        assertThat(r.value()).isEqualTo("ping");
        node.send(p, new Object[] {silent, "never"});
        Ref ref2 = (Ref) Recorder.take(q);
        CallResult timeout = (CallResult) Recorder.take(q);
        assertThat(timeout.ref()).isEqualTo(ref2);
        assertThat(timeout.error()).isInstanceOf(CallTimeoutException.class);
    }

    @Test
    void sendAfterDeliversLaterAndCanBeCancelled() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid r = node.spawn(Recorder::new, ProcessOptions.defaults(), q);
        Pid timerOwner = node.spawn(TimerOwner::new, ProcessOptions.defaults());
        node.send(timerOwner, new Object[] {r, "tick", 30L, false});
        node.send(timerOwner, new Object[] {r, "cancelled", 30L, true});
        assertThat(((Recorder.Got) Recorder.take(q)).message()).isEqualTo("tick");
        assertThat(q.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    static final class TimerOwner extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            Object[] m = (Object[]) message;
            var c = sendAfter(m[0], m[1], Duration.ofMillis((Long) m[2]));
            if ((Boolean) m[3]) {
                assertThat(c.cancel()).isTrue();
            }
        }
    }

    @Test
    void initFailureFailsTheSpawnAndLeavesNothingBehind() {
        long before = node.info().processesTotal();
        assertThatThrownBy(() -> node.spawnRegister("bad", FailingInit::new, ProcessOptions.defaults()))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("init of")
                .hasMessageContaining("no database");
        assertThat(node.whereIs("bad")).isNull();
        assertThat(node.info().processesTotal()).isEqualTo(before);
    }

    static final class FailingInit extends Actor {
        @Override
        protected void init(Object... args) {
            throw new IllegalStateException("no database");
        }
    }

    @Test
    void inspectRunsOnTheProcessItself() {
        BlockingQueue<Object> q = Recorder.queue();
        Pid r = node.spawn(Recorder::new, ProcessOptions.defaults(), q);
        node.send(r, "a");
        node.send(r, "b");
        await().until(() -> q.size() == 2);
        assertThat(node.inspect(r)).containsEntry("received", "2");
    }

    @Test
    void childrenCanBeLinkedToTheirParent() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid parent = node.spawn(Parent::new, ProcessOptions.defaults(), q);
        Pid child = (Pid) node.call(parent, "spawn");
        assertThat(node.processInfo(child).parent()).isEqualTo(parent);
        assertThat(node.processInfo(child).links()).containsExactly(parent);
        node.send(child, "crash");
        services.ergo.gen.MessageExitPid exit = (services.ergo.gen.MessageExitPid) Recorder.take(q);
        assertThat(exit.pid()).isEqualTo(child);
    }

    static final class Parent extends Recorder {
        @Override
        protected void setUp(Object... args) {
            setTrapExit(true);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return spawn(Recorder::new, ProcessOptions.defaults().withLinkParent(true), Recorder.queue());
        }
    }

    /** Does what it is called with: {"link"|"unlink"|"monitor"|"demonitor", target}; reports messages to args[0]. */
    static final class Relator extends Recorder {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            Object[] r = (Object[]) request;
            switch ((String) r[0]) {
                case "link" -> link(r[1]);
                case "unlink" -> unlink(r[1]);
                case "monitor" -> {
                    return monitor(r[1]);
                }
                case "demonitor" -> demonitor(r[1]);
                default -> throw new IllegalArgumentException((String) r[0]);
            }
            return "done";
        }
    }

    @Test
    void unlinkAndDemonitorUndoTheRelation() throws Exception {
        BlockingQueue<Object> q = Recorder.queue();
        Pid relator = node.spawn(Relator::new, ProcessOptions.defaults(), q);
        Pid target = node.spawn(Recorder::new, ProcessOptions.defaults(), Recorder.queue());
        node.call(relator, new Object[] {"link", target});
        Ref ref = (Ref) node.call(relator, new Object[] {"monitor", target});
        assertThat(node.call(relator, new Object[] {"monitor", target}))
                .as("monitoring twice")
                .isEqualTo(ref);
        assertThat(node.processInfo(target).links()).containsExactly(relator);
        assertThat(node.processInfo(target).monitoredBy()).containsExactly(relator);
        node.call(relator, new Object[] {"unlink", target});
        node.call(relator, new Object[] {"demonitor", target});
        assertThat(node.processInfo(target).links()).isEmpty();
        assertThat(node.processInfo(target).monitoredBy()).isEmpty();
        assertThat(node.processInfo(relator).links()).isEmpty();
        assertThat(node.processInfo(relator).monitors()).isEmpty();
        node.send(target, "crash");
        await().until(() -> !isAlive(target));
        assertThat(q.poll(100, TimeUnit.MILLISECONDS)).isNull(); // neither exit nor down
        assertThat(node.call(relator, new Object[] {"unlink", target})).isEqualTo("done");
    }

    @Test
    void envComesFromProcessThenNode() {
        node.setEnv("region", "eu");
        Pid p = node.spawn(EnvReader::new, ProcessOptions.defaults().withEnv(java.util.Map.of("role", "worker")));
        assertThat(node.call(p, "region")).isEqualTo("eu");
        assertThat(node.call(p, "role")).isEqualTo("worker");
    }

    static final class EnvReader extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return env((String) request);
        }
    }
}
