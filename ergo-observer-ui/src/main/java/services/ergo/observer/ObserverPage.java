package services.ergo.observer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.util.ClassUtils;
import org.springframework.web.HttpRequestHandler;

/**
 * Serves the page at {@code /observer/} of the server that serves the Actuator (the application's, or the
 * management server when {@code management.server.port} differs), from this jar, and tells it where the
 * {@code observer} endpoint is. Plain servlet handling rather than a controller, because the management server's
 * own context has no Spring MVC annotations support.
 *
 * <p>Every URL the page uses is relative to it, and {@code config.json} gives the endpoint's path as the Actuator
 * maps it, so the page works under a servlet context path, a management base path and endpoint path mappings.
 */
public class ObserverPage implements HttpRequestHandler {
    /** The page's path under the server's context path. */
    public static final String PATH = "/observer";

    private static final String ROOT = "META-INF/ergo-observer/";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final Map<String, String[]> FILES = Map.of(
            "", new String[] {ROOT + "index.html", "text/html;charset=UTF-8"},
            "observer.js", new String[] {ROOT + "observer.js", "text/javascript;charset=UTF-8"},
            "observer.css", new String[] {ROOT + "observer.css", "text/css;charset=UTF-8"},
            "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript;charset=UTF-8"},
            "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css;charset=UTF-8"});

    private static final boolean SECURITY = ClassUtils.isPresent(
            "org.springframework.security.web.csrf.CsrfToken", ObserverPage.class.getClassLoader());

    private final Supplier<String> endpointPath;

    /** @param endpointPath the endpoint's path as the Actuator maps it, for instance {@code /actuator/observer} */
    public ObserverPage(Supplier<String> endpointPath) {
        this.endpointPath = endpointPath;
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        if (uri.endsWith(PATH)) {
            // relative URLs in the page need the trailing slash
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", uri + "/");
            return;
        }
        int at = uri.lastIndexOf(PATH + "/");
        if (at < 0) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String prefix = uri.substring(0, at); // context path, servlet path: whatever is in front of the page
        String file = uri.substring(at + PATH.length() + 1);
        if ("config.json".equals(file)) {
            config(request, response, prefix);
            return;
        }
        String[] found = FILES.get(file);
        InputStream in = found == null ? null : getClass().getClassLoader().getResourceAsStream(found[0]);
        if (in == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (in) {
            response.setContentType(found[1]);
            response.setHeader("Cache-Control", "no-cache");
            in.transferTo(response.getOutputStream());
        }
    }

    /**
     * Where the endpoint is and, when Spring Security guards the request, the CSRF token the page must send with an
     * action (Spring Security's rules for the Actuator apply to the Observer's data and actions).
     */
    private void config(HttpServletRequest request, HttpServletResponse response, String prefix) throws IOException {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("api", prefix + endpointPath.get());
        config.put("actionHeader", ObserverActionFilter.HEADER);
        if (SECURITY && request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            config.put("csrfHeader", token.getHeaderName());
            config.put("csrfToken", token.getToken());
        }
        StringBuilder json = new StringBuilder("{");
        config.forEach((k, v) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(k)).append(':').append(quote(v));
        });
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
