package services.ergo.spring.autoconfigure;

import services.ergo.gen.NodeOptions;

/**
 * Adjusts the node's options after {@code ergo.*} properties are applied, for what yml cannot say.
 *
 * <pre>{@code
 * @Bean
 * ErgoNodeOptionsCustomizer moreThreads() {
 *     return options -> options.maxSchedulerThreads(64);
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ErgoNodeOptionsCustomizer {
    void customize(NodeOptions.Builder options);
}
