package services.ergo.saturn.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The runnable Saturn server: the core ({@link services.ergo.saturn.server.SaturnServer}) on its TCP port (4499),
 * Actuator's health and Prometheus metrics on the HTTP port (server.port, 4498), both on 127.0.0.1 until told
 * otherwise.
 *
 * <pre>
 * java -jar ergo-saturn-server-app/target/ergo-saturn-server-app-0.1.0-SNAPSHOT.jar \
 *      --saturn.server.host=0.0.0.0 \
 *      --saturn.server.clusters.production=$SATURN_TOKEN \
 *      --saturn.server.tls.certificate=/etc/saturn/fullchain.pem \
 *      --saturn.server.tls.private-key=/etc/saturn/private.pem
 * java -jar ergo-saturn-server-app-0.1.0-SNAPSHOT.jar --saturn.server.clusters.dev=a-development-token \
 *      --saturn.server.tls.self-signed=true
 * </pre>
 */
@SpringBootApplication
public class SaturnServerApplication {
    public static void main(String[] args) {
        SpringApplication.run(SaturnServerApplication.class, args);
    }
}
