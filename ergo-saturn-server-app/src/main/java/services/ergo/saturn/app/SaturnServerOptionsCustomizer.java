package services.ergo.saturn.app;

import services.ergo.saturn.server.SaturnServerOptions;

/**
 * Changes the {@link SaturnServerOptions} that the {@code saturn.server.*} properties made, before the server
 * starts: a bean of this type is applied to them in {@link org.springframework.core.annotation.Order} order. It is
 * how an application adds what properties do not say (a socket buffer, tokens from a vault, a file of its own in
 * place of {@code saturn.server.config-file}). The options it gets already carry the config-file, if any.
 *
 * <pre>{@code
 * @Bean
 * SaturnServerOptionsCustomizer smallSendBuffers() {
 *     return options -> options.withSocketSendBufferBytes(64 * 1024);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface SaturnServerOptionsCustomizer {
    /** The options to start with; {@code options} is immutable, so return the changed copy. */
    SaturnServerOptions customize(SaturnServerOptions options);
}
