package services.ergo.observer;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Without Spring Security, refuses a write to the {@code observer} endpoint that lacks the {@value #HEADER} header,
 * which a cross-site form cannot send and a cross-site script cannot send without the CORS preflight the Actuator
 * does not grant (review L6). With Spring Security guarding the application its CSRF protection applies instead,
 * unchanged.
 *
 * <pre>
 * curl -X POST -H 'X-Ergo-Observer: 1' -H 'Content-Type: application/json' -d '{"id":1042}' \
 *      localhost:8080/actuator/observer/billing@host1/kill
 * </pre>
 */
public class ObserverActionFilter extends OncePerRequestFilter {
    /** The header every write to the endpoint must carry without Spring Security (any value). */
    public static final String HEADER = "X-Ergo-Observer";

    private final Supplier<String> endpointPath;
    private final BooleanSupplier springSecurity;

    /**
     * @param endpointPath the endpoint's path as the Actuator maps it, for instance {@code /actuator/observer}
     * @param springSecurity whether Spring Security's filter chain guards the application (then this filter steps
     *     aside)
     */
    public ObserverActionFilter(Supplier<String> endpointPath, BooleanSupplier springSecurity) {
        this.endpointPath = endpointPath;
        this.springSecurity = springSecurity;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isWrite(request)
                && isEndpoint(request)
                && request.getHeader(HEADER) == null
                && !springSecurity.getAsBoolean()) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("application/json");
            response.getOutputStream()
                    .write(("{\"error\":\"an Observer action needs the " + HEADER
                                    + " header (the page sends it; a cross-site form cannot)\"}")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean isWrite(HttpServletRequest request) {
        String m = request.getMethod();
        return !"GET".equals(m) && !"HEAD".equals(m) && !"OPTIONS".equals(m) && !"TRACE".equals(m);
    }

    private boolean isEndpoint(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String endpoint = endpointPath.get();
        return path.equals(endpoint) || path.startsWith(endpoint + "/");
    }
}
