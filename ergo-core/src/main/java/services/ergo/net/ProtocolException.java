package services.ergo.net;

/** Input from the network that breaks the protocol: the connection that sent it is closed and counted. */
final class ProtocolException extends RuntimeException {
    ProtocolException(String message) {
        super(message, null, false, false);
    }
}
