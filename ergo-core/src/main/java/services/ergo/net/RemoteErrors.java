package services.ergo.net;

import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MailboxFullException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.ProcessTerminatedException;
import services.ergo.gen.ProcessUnknownException;

/** Errors cross the network as their class's simple name and text, and come back as the same kind of error. */
final class RemoteErrors {
    private RemoteErrors() {}

    static ErgoException of(String type, String text) {
        return switch (type) {
            case "ProcessUnknownException" -> ProcessUnknownException.fromRemote(text);
            case "MailboxFullException" -> MailboxFullException.fromRemote(text);
            case "CallTimeoutException" -> CallTimeoutException.fromRemote(text);
            case "ProcessTerminatedException" -> ProcessTerminatedException.fromRemote(text);
            case "NotAllowedException" -> NotAllowedException.fromRemote(text);
            default -> new ErgoException(text);
        };
    }
}
