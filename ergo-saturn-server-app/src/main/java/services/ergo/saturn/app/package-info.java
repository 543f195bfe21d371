/**
 * The runnable Saturn server: a Spring Boot application ({@link services.ergo.saturn.app.SaturnServerApplication})
 * around the Spring-free core, with {@code saturn.server.*} properties, TLS by default, a {@code saturn} health
 * contributor and {@code saturn_*} meters at {@code /actuator/prometheus}.
 */
@NullMarked
package services.ergo.saturn.app;

import org.jspecify.annotations.NullMarked;
