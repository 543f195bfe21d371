package services.ergo.net;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.RemoteNode;
import services.ergo.node.Core;

/** {@link RemoteNode} over a connection: each operation is a request answered like a call, to the node's core. */
final class RemoteNodeHandle implements RemoteNode {
    private final NetworkService service;
    private final Core core;
    private final String peer;

    RemoteNodeHandle(NetworkService service, Core core, String peer) {
        this.service = service;
        this.core = core;
        this.peer = peer;
    }

    @Override
    public String name() {
        return peer;
    }

    @Override
    public Pid spawn(String name, ProcessOptions options, Object... args) {
        return spawnRegister("", name, options, args);
    }

    @Override
    public Pid spawnRegister(String registerAs, String name, ProcessOptions options, Object... args) {
        ProcessOptions o = options == null ? ProcessOptions.defaults() : options;
        return (Pid) core.awaitAnswer(
                peer,
                ref -> service.sendRequest(peer, Wire.SPAWN, b -> {
                    Wire.writePid(b, core.corePid());
                    Wire.writeRef(b, ref);
                    Wire.writeString(b, name);
                    Wire.writeString(b, registerAs == null ? "" : registerAs);
                    b.writeInt(o.mailboxSize());
                    service.codec().encode(new ArrayList<>(Arrays.asList(args == null ? new Object[0] : args)), b);
                }),
                name + "@" + peer,
                core.options().callTimeout());
    }

    @Override
    public void applicationStart(String name, ApplicationMode mode) {
        core.awaitAnswer(
                peer,
                ref -> service.sendRequest(peer, Wire.APPLICATION_START, b -> {
                    Wire.writePid(b, core.corePid());
                    Wire.writeRef(b, ref);
                    Wire.writeString(b, name);
                    b.writeByte(mode.ordinal());
                }),
                "application " + name + "@" + peer,
                core.options().callTimeout());
    }

    /** Writes the body of a request frame. */
    interface Body {
        void write(ByteBuf b);
    }
}
